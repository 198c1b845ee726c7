package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcTransientResourceException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** The operator behind {@link Resilience#query}: demand, retries before the first item, timeout, breaker, cancel. */
class FluxQueryGuardTest {

    private static final RetrySettings TWO_RETRIES = RetrySettings.builder().jitter(0).build();

    private static <T> FluxQueryGuard<T> guard(Flux<T> source, @Nullable CircuitBreaker breaker, RetrySettings retry,
            @Nullable Duration statementTimeout) {
        return new FluxQueryGuard<>(source, "orders", breaker, retry, statementTimeout, null);
    }

    /** Fails its first {@code failures} subscriptions (transiently), then emits 1..5; records each request. */
    private static Flux<Integer> flaky(AtomicInteger subscriptions, int failures, List<Long> requests) {
        return Flux.defer(() -> subscriptions.incrementAndGet() <= failures
                ? Flux.<Integer>error(new R2dbcTransientResourceException("too many clients"))
                : Flux.range(1, 5).doOnRequest(requests::add));
    }

    @Test
    void itemsFlowAsRequestedAndTheSourceIsAskedForNoMore() {
        List<Long> requests = new CopyOnWriteArrayList<>();
        StepVerifier.create(guard(Flux.range(1, 10).doOnRequest(requests::add), CircuitBreaker.of("orders"),
                        TWO_RETRIES, Duration.ofSeconds(30)), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(10))
                .thenRequest(1)
                .expectNext(1)
                .then(() -> assertThat(requests).containsExactly(1L))
                .thenRequest(3)
                .expectNext(2, 3, 4)
                .then(() -> assertThat(requests).containsExactly(1L, 3L))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aRetryBeforeTheFirstItemGetsAllDemandSoFar() {
        AtomicInteger subscriptions = new AtomicInteger();
        List<Long> requests = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> guard(flaky(subscriptions, 1, requests), null, TWO_RETRIES, null), 0)
                .expectSubscription()
                .thenRequest(2)
                .thenRequest(1)
                .then(() -> assertThat(subscriptions).hasValue(1))
                .thenAwait(Duration.ofMillis(100))
                .expectNext(1, 2, 3)
                .then(() -> assertThat(requests).containsExactly(3L))
                .thenRequest(10)
                .expectNext(4, 5)
                .verifyComplete();
        assertThat(subscriptions).hasValue(2);
    }

    @Test
    void anErrorAfterTheFirstItemIsSignalledNotRetried() {
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<Integer> source = Flux.defer(() -> {
            subscriptions.incrementAndGet();
            return Flux.just(1).concatWith(Flux.error(new R2dbcTransientResourceException("connection reset")));
        });
        CircuitBreaker breaker = CircuitBreaker.of("orders");
        StepVerifier.withVirtualTime(() -> guard(source, breaker, TWO_RETRIES, Duration.ofSeconds(5)))
                .expectNext(1)
                .verifyError(R2dbcTransientResourceException.class);
        assertThat(subscriptions).hasValue(1);
        assertThat(breaker.metrics().failedCalls()).as("the call succeeded at its first item").isZero();
    }

    @Test
    void theStatementTimeoutCancelsTheAttemptAndIsABreakerFailure() {
        TestPublisher<Integer> source = TestPublisher.create();
        CircuitBreaker breaker = CircuitBreaker.of("orders");
        StepVerifier.withVirtualTime(() -> guard(source.flux(), breaker, TWO_RETRIES, Duration.ofSeconds(5)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .expectError(QueryTimeoutException.class)
                .verify(Duration.ofSeconds(5));
        source.assertCancelled();
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void theFirstItemDisarmsTheStatementTimeout() {
        StepVerifier.withVirtualTime(() -> guard(Flux.interval(Duration.ofSeconds(4), Duration.ofSeconds(60)).take(2),
                        null, RetrySettings.none(), Duration.ofSeconds(5)))
                .thenAwait(Duration.ofSeconds(4))
                .expectNext(0L)
                .thenAwait(Duration.ofSeconds(60))
                .expectNext(1L)
                .verifyComplete();
    }

    @Test
    void cancellingBeforeTheFirstItemCancelsTheSourceAndRecordsNoOutcome() {
        CircuitBreaker breaker = CircuitBreaker.of("orders");
        TestPublisher<Integer> source = TestPublisher.create();
        StepVerifier.withVirtualTime(() -> guard(source.flux(), breaker, TWO_RETRIES, Duration.ofSeconds(5)))
                .expectSubscription()
                .then(source::assertWasSubscribed)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        source.assertCancelled();
        assertThat(breaker.metrics().bufferedCalls()).isZero();
    }

    @Test
    void anOpenBreakerRefusesWithoutSubscribingAndTheRefusalIsNotRetried() {
        CircuitBreaker breaker = CircuitBreaker.of("orders", CircuitBreakerSettings.builder().consecutiveFailures(1)
                .build());
        StepVerifier.create(guard(Flux.<Integer>error(new R2dbcTransientResourceException("down")), breaker,
                        RetrySettings.none(), null))
                .verifyError(R2dbcTransientResourceException.class);
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> guard(Flux.just(1).doOnSubscribe(s -> subscriptions.incrementAndGet()),
                        breaker, TWO_RETRIES, null))
                .verifyError(CircuitBreakerOpenException.class);
        assertThat(subscriptions).hasValue(0);
    }

    @Test
    void aCancelledHalfOpenTrialLetsTheNextTrialThrough() {
        CircuitBreaker breaker = CircuitBreaker.of("orders", CircuitBreakerSettings.builder().consecutiveFailures(1)
                .waitInOpen(Duration.ofSeconds(10)).halfOpenTrialCalls(1).build());
        TestPublisher<Integer> hanging = TestPublisher.create();
        StepVerifier.withVirtualTime(() -> guard(Flux.<Integer>error(new R2dbcTransientResourceException("down")),
                        breaker, RetrySettings.none(), null)
                        .onErrorResume(e -> Flux.empty())
                        .thenMany(Flux.defer(() -> Flux.<Integer>empty().delaySubscription(Duration.ofSeconds(10))))
                        .thenMany(guard(hanging.flux(), breaker, RetrySettings.none(), null)), 0)
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .then(() -> assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN))
                .then(hanging::assertWasSubscribed)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        hanging.assertCancelled();
        StepVerifier.create(guard(Flux.just(7), breaker, RetrySettings.none(), null))
                .expectNext(7)
                .verifyComplete();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void cancellingDuringTheBackoffStopsTheRetries() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> guard(flaky(subscriptions, 5, new CopyOnWriteArrayList<>()), null,
                        TWO_RETRIES, null))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(50))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(1);
    }

    @Test
    void backoffDoublesUpToTheMaximumWithJitterWithinBounds() {
        RetrySettings s = RetrySettings.builder().minBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(500))
                .jitter(0).build();
        assertThat(FluxQueryGuard.Guard.backoffMillis(s, 0)).isEqualTo(100);
        assertThat(FluxQueryGuard.Guard.backoffMillis(s, 1)).isEqualTo(200);
        assertThat(FluxQueryGuard.Guard.backoffMillis(s, 2)).isEqualTo(400);
        assertThat(FluxQueryGuard.Guard.backoffMillis(s, 3)).isEqualTo(500);
        assertThat(FluxQueryGuard.Guard.backoffMillis(s, 1000)).isEqualTo(500);
        RetrySettings jittered = s.toBuilder().jitter(0.5).build();
        for (int i = 0; i < 100; i++) {
            assertThat(FluxQueryGuard.Guard.backoffMillis(jittered, 1)).isBetween(100L, 300L);
            assertThat(FluxQueryGuard.Guard.backoffMillis(jittered, 0)).isBetween(100L, 150L);
        }
    }

    @Test
    void theGuardAndItsAttemptAreScannableFromTheSubscriberToTheSource() {
        TestPublisher<Integer> source = TestPublisher.create();
        FluxQueryGuard<Integer> guarded = guard(source.flux(), null, RetrySettings.none(), null);
        assertThat(Scannable.from(guarded).scan(Scannable.Attr.PARENT)).isNotNull();

        AtomicReference<Subscription> given = new AtomicReference<>();
        BaseSubscriber<Integer> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                given.set(subscription);
                subscription.request(3);
            }
        };
        guarded.subscribe(subscriber);
        Scannable guard = Scannable.from(given.get());
        assertThat(guard.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(subscriber);
        assertThat(guard.scan(Scannable.Attr.REQUESTED_FROM_DOWNSTREAM)).isEqualTo(3L);
        assertThat(guard.scan(Scannable.Attr.CANCELLED)).isFalse();
        assertThat(guard.scan(Scannable.Attr.TERMINATED)).isFalse();
        Scannable attempt = Scannable.from(guard.scan(Scannable.Attr.PARENT));
        assertThat(attempt.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(subscriber);
        assertThat(attempt.scan(Scannable.Attr.PARENT)).isNotNull();
        assertThat(guard.parents().anyMatch(p -> p == attempt)).isTrue();

        source.next(1).complete();
        assertThat(guard.scan(Scannable.Attr.TERMINATED)).isTrue();
    }

    @Test
    void aCancelledGuardScansAsCancelled() {
        TestPublisher<Integer> source = TestPublisher.create();
        AtomicReference<Subscription> given = new AtomicReference<>();
        BaseSubscriber<Integer> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                given.set(subscription);
            }
        };
        guard(source.flux(), null, RetrySettings.none(), null).subscribe(subscriber);
        subscriber.cancel();
        Scannable guard = Scannable.from(given.get());
        assertThat(guard.scan(Scannable.Attr.CANCELLED)).isTrue();
        assertThat(Scannable.from(guard.scan(Scannable.Attr.PARENT)).scan(Scannable.Attr.CANCELLED)).isTrue();
    }

}
