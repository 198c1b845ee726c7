package dev.tributary.core.resilience;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Guards each subscription to a publisher with a {@link CircuitBreaker}: takes a permit on subscribe (or signals
 * the refusal without subscribing upstream), then settles the call exactly once, at the first of: first item
 * (success), completion (success), error (failure or ignored), cancellation (neither; the permit is given back).
 */
final class CircuitBreakerOperator<T> implements UnaryOperator<Publisher<T>> {

    private final CircuitBreaker breaker;

    CircuitBreakerOperator(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    @Override
    public Publisher<T> apply(Publisher<T> source) {
        if (source instanceof Mono<T> mono) {
            return Mono.fromDirect(guardFlux(breaker, mono));
        }
        return guardFlux(breaker, source);
    }

    static <T> Flux<T> guardFlux(CircuitBreaker breaker, Publisher<T> source) {
        return Flux.defer(() -> {
            CircuitBreaker.Call call = breaker.tryAcquire();
            if (call.refusal != null) {
                return Flux.error(call.refusal);
            }
            Outcome outcome = new Outcome(breaker, call);
            return Flux.from(source)
                    .doOnNext(outcome::onNext)
                    .doOnComplete(outcome::onComplete)
                    .doOnError(outcome::onError)
                    .doOnCancel(outcome::onCancel);
        });
    }

    /** Settles one call once; the flag makes concurrent cancel and signal race safely. */
    static final class Outcome extends AtomicBoolean {

        private static final long serialVersionUID = 1L;

        private final transient CircuitBreaker breaker;
        private final transient CircuitBreaker.Call call;

        Outcome(CircuitBreaker breaker, CircuitBreaker.Call call) {
            this.breaker = breaker;
            this.call = call;
        }

        void onNext(Object ignored) {
            if (!get() && compareAndSet(false, true)) {
                breaker.onSuccess(call);
            }
        }

        void onError(Throwable error) {
            if (compareAndSet(false, true)) {
                breaker.onError(call, error);
            }
        }

        void onComplete() {
            if (compareAndSet(false, true)) {
                breaker.onSuccess(call);
            }
        }

        void onCancel() {
            if (compareAndSet(false, true)) {
                breaker.onCancel(call);
            }
        }
    }
}
