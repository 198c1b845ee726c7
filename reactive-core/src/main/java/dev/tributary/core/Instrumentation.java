package dev.tributary.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * What a registry reports about its calls: to its {@link TributaryListener}s and, when an observation registry was
 * given, as Micrometer observations ({@link Tracing}). {@link #NONE} reports nothing and leaves calls untouched.
 */
final class Instrumentation {

    static final Instrumentation NONE = new Instrumentation(Listeners.NONE, null);

    final Listeners listeners;
    private final @Nullable Tracing tracing;

    Instrumentation(Listeners listeners, @Nullable Tracing tracing) {
        this.listeners = listeners;
        this.tracing = tracing;
    }

    boolean isNone() {
        return listeners.isEmpty() && tracing == null;
    }

    /**
     * {@code call} reported as one call of {@code kind} to {@code database}; a QUERY whose subscriber's context marks
     * another kind ({@link QueryKind#CONTEXT_KEY}) is reported as that kind.
     *
     * @param rows what one emitted item counts for: 1 per row, the update count of an update
     *     <p>Events are reported before the signal goes on downstream (so before the subscriber's next call starts).
     */
    <T> Flux<T> call(String database, QueryKind kind, String sql, Flux<T> call, ToLongFunction<? super T> rows) {
        if (isNone()) {
            return call;
        }
        return Flux.deferContextual(context -> {
            QueryKind actual = kind == QueryKind.QUERY ? context.getOrDefault(QueryKind.CONTEXT_KEY, kind) : kind;
            Flux<T> reported = listeners.isEmpty() ? call : reported(new QueryEvent(database, actual, sql), call, rows);
            return tracing == null ? reported : tracing.observe(database, actual, sql, reported);
        });
    }

    private <T> Flux<T> reported(QueryEvent event, Flux<T> call, ToLongFunction<? super T> rows) {
        return Flux.defer(() -> {
            long start = System.nanoTime();
            AtomicLong count = new AtomicLong();
            listeners.queryStarted(event);
            return call.doOnNext(item -> count.addAndGet(rows.applyAsLong(item)))
                    .doOnError(error -> listeners.queryFailed(event, since(start), error))
                    .doOnComplete(() -> listeners.queryFinished(event, since(start), count.get()))
                    .doOnCancel(() -> listeners.queryFinished(event, since(start), count.get()));
        });
    }

    /** {@code transaction} as one observation of kind TRANSACTION (its events are reported where they happen). */
    <T> Flux<T> transaction(String database, Flux<T> transaction) {
        return tracing == null ? transaction : tracing.observe(database, QueryKind.TRANSACTION, null, transaction);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
