package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/** The retry and timeout operators, composed from Reactor's own. Each works per subscription. */
final class Guards {

    private Guards() {
    }

    /**
     * Retries {@code attempt} (resubscribing) on errors {@code settings} calls transient, only while it has not
     * emitted an item; exhaustion signals the last error itself.
     */
    static <T> Flux<T> retryBeforeFirstItem(Publisher<T> attempt, RetrySettings settings, @Nullable Scheduler scheduler) {
        if (settings.maxRetries() == 0) {
            return Flux.from(attempt);
        }
        return Flux.defer(() -> {
            AtomicBoolean emitted = new AtomicBoolean();
            RetryBackoffSpec spec = Retry.backoff(settings.maxRetries(), settings.minBackoff())
                    .maxBackoff(settings.maxBackoff())
                    .jitter(settings.jitter())
                    .filter(error -> !emitted.get() && settings.retryOn().test(error))
                    .onRetryExhaustedThrow((s, signal) -> signal.failure());
            if (scheduler != null) {
                spec = spec.scheduler(scheduler);
            }
            return Flux.from(attempt)
                    .doOnNext(item -> {
                        if (!emitted.get()) {
                            emitted.set(true);
                        }
                    })
                    .retryWhen(spec);
        });
    }

    /**
     * Cancels {@code source} and signals {@code error} if it emits no item (nor completes) within {@code timeout}.
     * Costs one flag check per item.
     */
    static <T> Flux<T> firstItemTimeout(Publisher<T> source, Duration timeout, @Nullable Scheduler scheduler,
            Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicBoolean timedOut = new AtomicBoolean();
            Sinks.One<Boolean> firstItem = Sinks.one();
            boolean[] seen = {false};
            Flux<Long> stop = Mono.delay(timeout, resolve(scheduler))
                    .takeUntilOther(firstItem.asMono())
                    .doOnNext(tick -> timedOut.set(true))
                    .concatWith(Mono.never());
            return Flux.from(source)
                    .doOnNext(item -> {
                        if (!seen[0]) {
                            seen[0] = true;
                            firstItem.tryEmitValue(Boolean.TRUE);
                        }
                    })
                    .takeUntilOther(stop)
                    .concatWith(Mono.defer(() -> timedOut.get() ? Mono.error(error.get()) : Mono.empty()));
        });
    }

    /** Cancels {@code source} and signals {@code error} if it does not terminate within {@code timeout}. */
    static <T> Flux<T> wholeTimeout(Publisher<T> source, Duration timeout, @Nullable Scheduler scheduler,
            Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicBoolean timedOut = new AtomicBoolean();
            Mono<Long> stop = Mono.delay(timeout, resolve(scheduler)).doOnNext(tick -> timedOut.set(true));
            return Flux.from(source)
                    .takeUntilOther(stop)
                    .concatWith(Mono.defer(() -> timedOut.get() ? Mono.error(error.get()) : Mono.empty()));
        });
    }

    static Scheduler resolve(@Nullable Scheduler scheduler) {
        return scheduler != null ? scheduler : Schedulers.parallel();
    }
}
