package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.R2dbcRollbackException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ResilienceTest {

    private static final RetrySettings NO_JITTER = RetrySettings.builder().jitter(0).build();

    private static ResilienceSettings.Builder settings() {
        return ResilienceSettings.builder().retry(NO_JITTER);
    }

    /** A cold source failing its first {@code failures} subscriptions with a new error each time, then emitting 1, 2. */
    private static Flux<Integer> failing(AtomicInteger subscriptions, int failures, Supplier<Throwable> error) {
        return Flux.defer(() -> subscriptions.incrementAndGet() <= failures ? Flux.error(error.get()) : Flux.just(1, 2));
    }

    @Test
    void transientErrorsAreRetriedWithExponentialBackoffUntilTheQuerySucceeds() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().build())
                        .query(failing(subscriptions, 2, () -> new R2dbcTransientResourceException("too many clients"))))
                .expectSubscription()
                .then(() -> assertThat(subscriptions).hasValue(1))
                .thenAwait(Duration.ofMillis(99))
                .then(() -> assertThat(subscriptions).hasValue(1))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> assertThat(subscriptions).hasValue(2))
                .thenAwait(Duration.ofMillis(199))
                .then(() -> assertThat(subscriptions).hasValue(2))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(1, 2)
                .verifyComplete();
        assertThat(subscriptions).hasValue(3);
    }

    @Test
    void jitteredBackoffStaysWithinTheConfiguredBounds() {
        AtomicInteger subscriptions = new AtomicInteger();
        ResilienceSettings s = settings().retry(RetrySettings.builder().maxRetries(1).jitter(0.5).build()).build();
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", s)
                        .query(failing(subscriptions, 1, () -> new R2dbcRollbackException("serialization failure"))))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(49))
                .then(() -> assertThat(subscriptions).hasValue(1))
                .thenAwait(Duration.ofMillis(101))
                .expectNext(1, 2)
                .verifyComplete();
    }

    @Test
    void nonTransientErrorsAndTimeoutsAreNotRetried() {
        for (Throwable error : new Throwable[] {new R2dbcBadGrammarException("bad"), new R2dbcNonTransientResourceException("gone"),
                new R2dbcTimeoutException("statement timeout"), new IllegalStateException("mapper")}) {
            AtomicInteger subscriptions = new AtomicInteger();
            StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().build())
                            .query(failing(subscriptions, 5, () -> error)))
                    .expectErrorMatches(e -> e == error)
                    .verify(Duration.ofSeconds(5));
            assertThat(subscriptions).as(error.toString()).hasValue(1);
        }
    }

    @Test
    void aQueryIsNeverRetriedAfterItsFirstRowSoRowsAreNeverDuplicated() {
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<Integer> source = Flux.defer(() -> {
            subscriptions.incrementAndGet();
            return Flux.just(1).concatWith(Flux.error(new R2dbcTransientResourceException("connection reset")));
        });
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().build()).query(source))
                .expectNext(1)
                .verifyError(R2dbcTransientResourceException.class);
        assertThat(subscriptions).hasValue(1);
    }

    @Test
    void exhaustedRetriesSignalTheLastErrorItself() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().build())
                        .query(failing(subscriptions, 10, () -> new R2dbcTransientResourceException("attempt " + subscriptions.get()))))
                .thenAwait(Duration.ofSeconds(10))
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(R2dbcTransientResourceException.class)
                        .hasMessage("attempt 3"))
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(3);
    }

    @Test
    void theStatementTimeoutCancelsAQueryWithoutARowAndCountsAsABreakerFailure() {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicInteger subscriptions = new AtomicInteger();
        Resilience[] holder = new Resilience[1];
        StepVerifier.withVirtualTime(() -> {
                    holder[0] = Resilience.of("orders", settings().statementTimeout(Duration.ofSeconds(5)).build());
                    return holder[0].query(Flux.<Integer>never()
                            .doOnSubscribe(s -> subscriptions.incrementAndGet())
                            .doOnCancel(() -> cancelled.set(true)));
                })
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(QueryTimeoutException.class).hasMessageContaining("'orders'")
                            .hasMessageContaining("statement timeout of PT5S");
                    assertThat(((QueryTimeoutException) e).kind()).isEqualTo(QueryTimeoutException.Kind.STATEMENT);
                })
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
        assertThat(subscriptions).as("a timeout is not retried").hasValue(1);
        assertThat(holder[0].circuitBreaker().metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void theStatementTimeoutStopsCountingAtTheFirstRow() {
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().statementTimeout(Duration.ofSeconds(5)).build())
                        .query(Flux.interval(Duration.ofSeconds(4), Duration.ofSeconds(60)).take(3)))
                .thenAwait(Duration.ofSeconds(4))
                .expectNext(0L)
                .thenAwait(Duration.ofSeconds(120))
                .expectNext(1L, 2L)
                .verifyComplete();
    }

    @Test
    void anEmptyResultWithinTheStatementTimeoutCompletes() {
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().statementTimeout(Duration.ofSeconds(5)).build())
                        .query(Mono.delay(Duration.ofSeconds(3)).then()))
                .thenAwait(Duration.ofSeconds(3))
                .verifyComplete();
    }

    @Test
    void theQueryTimeoutBoundsTheWholeStreamAndCancelsIt() {
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().queryTimeout(Duration.ofSeconds(60)).build())
                        .query(Flux.interval(Duration.ofSeconds(10)).take(100).doOnCancel(() -> cancelled.set(true))))
                .thenAwait(Duration.ofSeconds(60))
                .expectNextCount(5)
                .expectErrorSatisfies(e -> assertThat(((QueryTimeoutException) e).kind()).isEqualTo(QueryTimeoutException.Kind.QUERY))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    @Test
    void theQueryTimeoutIncludesTheRetries() {
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().queryTimeout(Duration.ofMillis(150))
                                .retry(RetrySettings.builder().maxRetries(5).jitter(0).build()).statementTimeout(null).build())
                        .query(failing(subscriptions, 10, () -> new R2dbcTransientResourceException("busy"))))
                .thenAwait(Duration.ofMillis(150))
                .verifyError(QueryTimeoutException.class);
        assertThat(subscriptions).hasValue(2);
    }

    @Test
    void anOpeningBreakerStopsTheRetriesAtOnce() {
        AtomicInteger subscriptions = new AtomicInteger();
        ResilienceSettings s = settings().circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(2).build())
                .retry(RetrySettings.builder().maxRetries(5).jitter(0).build()).build();
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", s)
                        .query(failing(subscriptions, 10, () -> new R2dbcTransientResourceException("too many clients"))))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CircuitBreakerOpenException.class)
                        .hasCauseInstanceOf(R2dbcTransientResourceException.class))
                .verify(Duration.ofSeconds(5));
        assertThat(subscriptions).hasValue(2);
    }

    @Test
    void writesAreNotRetriedUnlessAskedTo() {
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<Integer> write = Mono.defer(() -> subscriptions.incrementAndGet() == 1
                ? Mono.error(new R2dbcTransientResourceException("reset")) : Mono.just(1));
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings().build()).write(write).single())
                .verifyError(R2dbcTransientResourceException.class);
        assertThat(subscriptions).hasValue(1);
        subscriptions.set(0);
        StepVerifier.withVirtualTime(() -> Resilience.of("orders", settings()
                        .retry(NO_JITTER.toBuilder().retryWrites(true).build()).build()).write(write))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(1)
                .verifyComplete();
        assertThat(subscriptions).hasValue(2);
    }

    @Test
    void transactionsAreGuardedByTheBreakerButNeverRetried() {
        AtomicInteger subscriptions = new AtomicInteger();
        Resilience resilience = Resilience.of("orders", settings()
                .circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(1).build()).build());
        StepVerifier.create(resilience.transaction(failing(subscriptions, 5, () -> new R2dbcTransientResourceException("reset"))))
                .verifyError(R2dbcTransientResourceException.class);
        assertThat(subscriptions).hasValue(1);
        StepVerifier.create(resilience.transaction(Flux.just(1))).verifyError(CircuitBreakerOpenException.class);
    }

    @Test
    void theQueryOperatorWorksWithTransformDeferredOnMonoAndFlux() {
        StepVerifier.withVirtualTime(() -> Mono.just(5).transformDeferred(Resilience.of("orders", settings().build()).queryOperator()))
                .expectNext(5)
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> Flux.range(1, 3).transformDeferred(Resilience.of("orders", settings().build()).queryOperator()))
                .expectNext(1, 2, 3)
                .verifyComplete();
    }

    @Test
    void noneRunsTheQueryUnguarded() {
        Resilience none = Resilience.of("orders", ResilienceSettings.none());
        assertThat(none.circuitBreaker()).isNull();
        AtomicInteger subscriptions = new AtomicInteger();
        StepVerifier.create(none.query(failing(subscriptions, 1, () -> new R2dbcTransientResourceException("x"))))
                .verifyError(R2dbcTransientResourceException.class);
        assertThat(subscriptions).hasValue(1);
    }

    @Test
    void settingsHaveTheDocumentedDefaultsAndRejectInvalidValues() {
        ResilienceSettings d = ResilienceSettings.defaults();
        assertThat(d.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.queryTimeout()).isNull();
        assertThat(d.circuitBreaker()).isSameAs(CircuitBreakerSettings.defaults());
        assertThat(d.retry().maxRetries()).isEqualTo(2);
        assertThat(d.retry().minBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.retry().retryWrites()).isFalse();
        assertThatThrownBy(() -> RetrySettings.builder().maxRetries(-1)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> RetrySettings.builder().jitter(1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetrySettings.builder().minBackoff(Duration.ZERO)).hasMessageContaining("minBackoff");
        assertThatThrownBy(() -> RetrySettings.builder().minBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> ResilienceSettings.builder().statementTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("statementTimeout");
        assertThatThrownBy(() -> ResilienceSettings.builder().queryTimeout(Duration.ofSeconds(1)).build())
                .hasMessageContaining("queryTimeout");
    }
}
