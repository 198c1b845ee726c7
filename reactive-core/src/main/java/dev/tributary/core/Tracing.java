package dev.tributary.core;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Observations of calls, behind an interface free of Micrometer types so that the registry loads without Micrometer
 * on the classpath; {@link MicrometerTracing} is the one implementation, created only when an
 * {@code ObservationRegistry} is given.
 */
interface Tracing {

    /** {@code call} as one observation, child of the observation in the subscriber's Reactor context if any. */
    <T> Flux<T> observe(String database, QueryKind kind, @Nullable String sql, Flux<T> call);
}
