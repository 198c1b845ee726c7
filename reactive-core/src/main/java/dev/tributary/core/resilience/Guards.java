package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The whole-query timeout, composed from Reactor's operators (the per-attempt guards are {@link FluxQueryGuard}).
 */
final class Guards {

    private Guards() {
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
