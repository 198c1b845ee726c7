package dev.tributary.core;

import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Micrometer observations of a registry's calls, for {@link Databases.Builder#observations}: one observation
 * {@code tributary.sql} per query, update, batch or federated query and one per fragment of a federated query (its
 * child), one {@code tributary.transaction} per transaction. Low-cardinality key values {@code database} and
 * {@code kind} ({@link QueryKind#tag()}); the SQL as the high-cardinality {@code sql} (bind values never). The parent
 * of each is the observation in the subscriber's Reactor context under {@code ObservationThreadLocalAccessor.KEY}
 * (where Spring WebFlux puts the request's, and Reactor's {@code tap(Micrometer.observation(...))} its own), else the
 * registry's current one; so a tracer shows a federated query's fragments under the query, under the request.
 *
 * <p>This class is the only way in to Micrometer Observation, an optional dependency
 * ({@code io.micrometer:micrometer-observation}): the rest of the library neither needs nor loads it.
 */
public final class TributaryObservations {

    private final Tracing tracing;

    private TributaryObservations(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Observations in {@code registry}; a no-op registry observes nothing and costs nothing per call. */
    public static TributaryObservations of(ObservationRegistry registry) {
        return new TributaryObservations(new MicrometerTracing(Objects.requireNonNull(registry, "registry")));
    }

    Tracing tracing() {
        return tracing;
    }
}
