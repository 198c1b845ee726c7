package dev.tributary.core;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * {@link Tracing} with Micrometer Observation: the observation {@value #CALL} (a query, update, batch or fragment) or
 * {@value #TRANSACTION}, with the low-cardinality key values {@code database} and {@code kind} and the
 * high-cardinality {@code sql}. Its parent is the observation in the subscriber's Reactor context under
 * {@code ObservationThreadLocalAccessor.KEY} (where Spring WebFlux and Reactor's {@code tap(Micrometer.observation)}
 * put theirs), else the registry's current one; the calls it makes see it there in turn, so a federated query's
 * fragments are its children.
 */
final class MicrometerTracing implements Tracing {

    static final String CALL = "tributary.sql";
    static final String TRANSACTION = "tributary.transaction";

    private final ObservationRegistry registry;

    MicrometerTracing(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <T> Flux<T> observe(String database, QueryKind kind, @Nullable String sql, Flux<T> call) {
        if (registry.isNoop()) {
            return call;
        }
        return Flux.deferContextual(context -> {
            Observation observation = Observation.createNotStarted(
                            kind == QueryKind.TRANSACTION ? TRANSACTION : CALL, registry)
                    .contextualName("tributary " + kind.tag() + " " + database)
                    .lowCardinalityKeyValue("database", database)
                    .lowCardinalityKeyValue("kind", kind.tag());
            if (sql != null) {
                observation.highCardinalityKeyValue("sql", sql);
            }
            Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
            if (parent != null) {
                observation.parentObservation(parent);
            }
            observation.start();
            return call.doOnError(error -> observation.error(error).stop())
                    .doOnComplete(observation::stop)
                    .doOnCancel(observation::stop)
                    .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, observation));
        });
    }
}
