package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.resilience.CircuitBreaker.State;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

class CircuitBreakerTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    private CircuitBreaker breaker(CircuitBreakerSettings settings) {
        return CircuitBreaker.of("orders", settings, clock);
    }

    private static CircuitBreakerSettings.Builder settings() {
        return CircuitBreakerSettings.builder();
    }

    private static void fail(CircuitBreaker breaker, Throwable error) {
        StepVerifier.create(Flux.<Integer>error(error).transformDeferred(breaker.operator()))
                .expectErrorMatches(e -> e == error)
                .verify(Duration.ofSeconds(5));
    }

    private static void succeed(CircuitBreaker breaker) {
        StepVerifier.create(Flux.just(1, 2).transformDeferred(breaker.operator()))
                .expectNext(1, 2)
                .verifyComplete();
    }

    private static R2dbcNonTransientResourceException connectionRefused() {
        return new R2dbcNonTransientResourceException("connection refused");
    }

    private CircuitBreaker openBreaker() {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(2).waitInOpen(Duration.ofSeconds(30)).build());
        fail(breaker, connectionRefused());
        fail(breaker, connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        return breaker;
    }

    private CircuitBreaker halfOpenBreaker() {
        CircuitBreaker breaker = openBreaker();
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        return breaker;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        CircuitBreakerSettings d = CircuitBreakerSettings.defaults();
        assertThat(d.slidingWindowSize()).isEqualTo(20);
        assertThat(d.minimumCalls()).isEqualTo(10);
        assertThat(d.failureRateThreshold()).isEqualTo(50.0);
        assertThat(d.consecutiveFailures()).isEqualTo(5);
        assertThat(d.waitInOpen()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.halfOpenTrialCalls()).isEqualTo(3);
    }

    @Test
    void anOpenBreakerProbesAfterOneSecondThenAtDoublingIntervalsAndClosesAtTheFirstSuccessfulProbe() {
        List<Long> probedAt = new ArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        CircuitBreaker breaker = CircuitBreaker.probing("orders", settings().consecutiveFailures(2).build(), clock,
                () -> Mono.fromCallable(() -> {
                    probedAt.add(clock.now(java.util.concurrent.TimeUnit.MILLISECONDS));
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new R2dbcNonTransientResourceException("still refused");
                    }
                    return 1;
                }));
        fail(breaker, connectionRefused());
        fail(breaker, connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThatThrownBy(() -> Flux.just(1).transformDeferred(breaker.operator()).blockLast())
                .isInstanceOf(CircuitBreakerOpenException.class).hasMessageContaining("probe");

        clock.advanceTimeBy(Duration.ofMillis(999));
        assertThat(probedAt).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(probedAt).containsExactly(1_000L);
        assertThat(breaker.metrics().lastFailure()).hasMessage("still refused");
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        clock.advanceTimeBy(Duration.ofSeconds(2 + 4 + 8));
        assertThat(probedAt).containsExactly(1_000L, 3_000L, 7_000L, 15_000L);
        assertThat(breaker.state()).as("closed by the fourth probe, long before waitInOpen").isEqualTo(State.CLOSED);
        succeed(breaker);
    }

    @Test
    void aRefusedCallProbesAtOnceWhenNoProbeRanForProbeBackoffSoABusyCallerSeesRecoveryWithinASecond() {
        AtomicInteger probes = new AtomicInteger();
        AtomicBoolean up = new AtomicBoolean();
        CircuitBreaker breaker = CircuitBreaker.probing("orders", settings().consecutiveFailures(1).build(), clock,
                () -> Mono.fromCallable(() -> {
                    probes.incrementAndGet();
                    if (!up.get()) {
                        throw new R2dbcNonTransientResourceException("refused");
                    }
                    return 1;
                }));
        fail(breaker, connectionRefused());
        refused(breaker); // right after opening: no probe yet
        assertThat(probes).hasValue(0);
        clock.advanceTimeBy(Duration.ofSeconds(1)); // the timed probe fails; the next timed one is at 3 s
        assertThat(probes).hasValue(1);
        up.set(true);
        clock.advanceTimeBy(Duration.ofMillis(500));
        refused(breaker); // 0.5 s since the last probe: none started
        assertThat(probes).hasValue(1);
        clock.advanceTimeBy(Duration.ofMillis(500));
        refused(breaker); // 1 s since the last probe: this call is refused but starts one, which succeeds
        assertThat(probes).hasValue(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        succeed(breaker);
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(probes).as("no probe once closed").hasValue(2);
    }

    private static void refused(CircuitBreaker breaker) {
        StepVerifier.create(Flux.just(1).transformDeferred(breaker.operator()))
                .expectError(CircuitBreakerOpenException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void probesWaitAtMostWaitInOpenAndStopOnceTheBreakerLeavesOpen() {
        AtomicInteger probes = new AtomicInteger();
        CircuitBreaker breaker = CircuitBreaker.probing("orders", settings().consecutiveFailures(1)
                        .probeBackoff(Duration.ofSeconds(2)).waitInOpen(Duration.ofSeconds(5)).build(), clock,
                () -> Mono.error(new R2dbcNonTransientResourceException("probe " + probes.incrementAndGet())));
        fail(breaker, connectionRefused());
        clock.advanceTimeBy(Duration.ofSeconds(2)); // probe at 2 s, next would wait 4 s
        assertThat(probes).hasValue(1);
        clock.advanceTimeBy(Duration.ofSeconds(4)); // 6 s: waitInOpen passed at 5 s
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(probes).as("no probe once half-open").hasValue(1);
    }

    @Test
    void aProbeThatNeverAnswersTimesOutAsAFailedProbe() {
        AtomicInteger probes = new AtomicInteger();
        CircuitBreaker breaker = CircuitBreaker.probing("orders", settings().consecutiveFailures(1)
                        .waitInOpen(Duration.ofSeconds(60)).build(), clock,
                () -> Mono.never().doOnSubscribe(s -> probes.incrementAndGet()));
        fail(breaker, connectionRefused());
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(probes).hasValue(1);
        clock.advanceTimeBy(Duration.ofSeconds(10 + 2)); // timed out at 11 s, next probe 2 s later
        assertThat(probes).as("the hung probe timed out and the next one ran").hasValue(2);
        assertThat(breaker.metrics().lastFailure()).isInstanceOf(TimeoutException.class);
    }

    @Test
    void authenticationFailuresCountButPermissionDeniedOnAnObjectDoesNot() {
        assertThat(FailureClassifier.isDatabaseFailure(new R2dbcPermissionDeniedException("password authentication failed",
                "28P01"))).isTrue();
        assertThat(FailureClassifier.isDatabaseFailure(new R2dbcPermissionDeniedException("permission denied for table t",
                "42501"))).isFalse();
    }

    @Test
    void settingsRejectInvalidValuesNamingTheField() {
        assertThatThrownBy(() -> settings().slidingWindowSize(0)).hasMessageContaining("slidingWindowSize");
        assertThatThrownBy(() -> settings().minimumCalls(0)).hasMessageContaining("minimumCalls");
        assertThatThrownBy(() -> settings().failureRateThreshold(0)).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> settings().failureRateThreshold(101)).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> settings().consecutiveFailures(-1)).hasMessageContaining("consecutiveFailures");
        assertThatThrownBy(() -> settings().waitInOpen(Duration.ZERO)).hasMessageContaining("waitInOpen");
        assertThatThrownBy(() -> settings().halfOpenTrialCalls(0)).hasMessageContaining("halfOpenTrialCalls");
        assertThatThrownBy(() -> settings().slidingWindowSize(5).minimumCalls(6).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumCalls (6)");
        assertThat(CircuitBreakerSettings.defaults().toBuilder().halfOpenTrialCalls(7).build().halfOpenTrialCalls()).isEqualTo(7);
    }

    @Test
    void opensAfterConsecutiveFailures() {
        CircuitBreaker breaker = breaker(settings().build());
        for (int i = 0; i < 4; i++) {
            fail(breaker, connectionRefused());
            assertThat(breaker.state()).isEqualTo(State.CLOSED);
        }
        fail(breaker, connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void aSuccessResetsTheConsecutiveFailures() {
        CircuitBreaker breaker = breaker(settings().build());
        for (int i = 0; i < 4; i++) {
            fail(breaker, connectionRefused());
        }
        succeed(breaker);
        for (int i = 0; i < 4; i++) {
            fail(breaker, connectionRefused());
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().consecutiveFailures()).isEqualTo(4);
    }

    @Test
    void opensWhenTheFailureRateReachesTheThresholdAfterTheMinimumCalls() {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(0).build());
        for (int i = 0; i < 4; i++) {
            succeed(breaker);
            fail(breaker, connectionRefused());
        }
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(9);
        fail(breaker, connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void doesNotOpenBelowTheMinimumCallsWhateverTheRate() {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(0).build());
        for (int i = 0; i < 9; i++) {
            fail(breaker, connectionRefused());
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().failureRate()).isEqualTo(100.0);
    }

    @Test
    void theSlidingWindowForgetsOldOutcomes() {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(0).slidingWindowSize(4).minimumCalls(4)
                .failureRateThreshold(75).build());
        fail(breaker, connectionRefused());
        fail(breaker, connectionRefused());
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);
        assertThat(breaker.metrics().failedCalls()).isZero();
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(4);
        fail(breaker, connectionRefused());
        fail(breaker, connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        fail(breaker, connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void anOpenBreakerFailsAtOnceWithoutSubscribingNamingDatabaseStateRetryTimeAndCause() {
        CircuitBreaker breaker = openBreaker();
        clock.advanceTimeBy(Duration.ofSeconds(10));
        AtomicInteger subscribed = new AtomicInteger();
        Flux<Integer> source = Flux.just(1).doOnSubscribe(s -> subscribed.incrementAndGet());
        StepVerifier.create(source.transformDeferred(breaker.operator()))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DatabaseUnavailableException.class)
                            .isInstanceOf(CircuitBreakerOpenException.class);
                    CircuitBreakerOpenException open = (CircuitBreakerOpenException) e;
                    assertThat(open.database()).isEqualTo("orders");
                    assertThat(open.state()).isEqualTo(State.OPEN);
                    assertThat(open.retryAt()).isEqualTo(java.time.Instant.ofEpochMilli(30_000));
                    assertThat(open.lastFailure()).isInstanceOf(R2dbcNonTransientResourceException.class);
                    assertThat(open.getMessage()).contains("'orders'", "OPEN", "20 s", "connection refused");
                })
                .verify(Duration.ofSeconds(5));
        assertThat(subscribed).hasValue(0);
        assertThat(breaker.metrics().notPermittedCalls()).isEqualTo(1);
    }

    @Test
    void afterTheWaitTrialCallsCloseTheBreaker() {
        CircuitBreaker breaker = openBreaker();
        clock.advanceTimeBy(Duration.ofMillis(29_999));
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        clock.advanceTimeBy(Duration.ofMillis(1));
        succeed(breaker);
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
    }

    @Test
    void aFailingTrialCallReopensTheBreakerForAnotherWait() {
        CircuitBreaker breaker = halfOpenBreaker();
        succeed(breaker);
        fail(breaker, new IOException("reset by peer"));
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.metrics().retryAt()).isEqualTo(java.time.Instant.ofEpochMilli(60_000));
        assertThat(breaker.metrics().lastFailure()).isInstanceOf(IOException.class);
    }

    @Test
    void halfOpenRefusesCallsBeyondTheTrialCallsRunning() {
        CircuitBreaker breaker = halfOpenBreaker();
        List<Sinks.One<Integer>> trials = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Sinks.One<Integer> trial = Sinks.one();
            trials.add(trial);
            trial.asMono().transformDeferred(breaker.operator()).subscribe();
        }
        StepVerifier.create(Mono.just(1).transformDeferred(breaker.operator()))
                .expectErrorSatisfies(e -> assertThat(((CircuitBreakerOpenException) e).state()).isEqualTo(State.HALF_OPEN))
                .verify(Duration.ofSeconds(5));
        trials.forEach(t -> t.tryEmitValue(1));
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void badGrammarDoesNotCount() {
        assertCallerMistakeIgnored(new R2dbcBadGrammarException("syntax error at or near SELEC"));
    }

    @Test
    void integrityViolationDoesNotCount() {
        assertCallerMistakeIgnored(new R2dbcDataIntegrityViolationException("duplicate key"));
    }

    @Test
    void permissionDeniedDoesNotCount() {
        assertCallerMistakeIgnored(new R2dbcPermissionDeniedException("permission denied for table t"));
    }

    private void assertCallerMistakeIgnored(Throwable mistake) {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(1).build());
        for (int i = 0; i < 30; i++) {
            fail(breaker, mistake);
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        CircuitBreaker halfOpen = halfOpenBreaker();
        for (int i = 0; i < 5; i++) {
            fail(halfOpen, mistake);
        }
        assertThat(halfOpen.state()).as("ignored errors give back the trial permit").isEqualTo(State.HALF_OPEN);
        succeed(halfOpen);
        succeed(halfOpen);
        succeed(halfOpen);
        assertThat(halfOpen.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void resourceTimeoutAndIoErrorsCountAlsoAsCauses() {
        List<Throwable> failures = List.of(connectionRefused(), new R2dbcTransientResourceException("too many clients"),
                new TimeoutException(), new IOException("broken pipe"), new io.r2dbc.spi.R2dbcTimeoutException("acquire"),
                new RuntimeException("wrapped", new java.net.ConnectException("refused")),
                new IllegalStateException("outer", new R2dbcNonTransientResourceException("closed")));
        for (Throwable failure : failures) {
            CircuitBreaker breaker = breaker(settings().consecutiveFailures(1).build());
            fail(breaker, failure);
            assertThat(breaker.state()).as(failure.toString()).isEqualTo(State.OPEN);
        }
        assertThat(FailureClassifier.isDatabaseFailure(new IllegalArgumentException("mapper"))).isFalse();
        assertThat(FailureClassifier.isDatabaseFailure(new io.r2dbc.spi.R2dbcNonTransientException(
                "terminating connection due to administrator command", "57P01") { })).isTrue();
        assertThat(FailureClassifier.isDatabaseFailure(new io.r2dbc.spi.R2dbcNonTransientException(
                "division by zero", "22012") { })).isFalse();
    }

    @Test
    void aStreamCountsAsSuccessAtItsFirstRow() {
        CircuitBreaker breaker = halfOpenBreaker();
        TestPublisher<Integer> scan = TestPublisher.create();
        StepVerifier.create(scan.flux().transformDeferred(breaker.operator()), 1)
                .then(() -> scan.next(1))
                .expectNext(1)
                .then(() -> assertThat(breaker.metrics().notPermittedCalls()).isZero())
                .then(() -> {
                    succeed(breaker);
                    succeed(breaker);
                    assertThat(breaker.state()).as("the open stream already counted as a success").isEqualTo(State.CLOSED);
                })
                .thenRequest(1)
                .then(() -> scan.error(connectionRefused()))
                .verifyError(R2dbcNonTransientResourceException.class);
        assertThat(breaker.metrics().bufferedCalls()).as("an error after the first row is not a second outcome").isZero();
    }

    @Test
    void anEmptyResultCountsAsSuccessAtCompletion() {
        CircuitBreaker breaker = halfOpenBreaker();
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(Flux.empty().transformDeferred(breaker.operator())).verifyComplete();
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void cancellingHalfOpenTrialCallsInEveryPhaseNeverLeavesTheBreakerStuck() {
        CircuitBreaker breaker = halfOpenBreaker();
        for (int round = 0; round < 5; round++) {
            // before the source's subscription completes
            StepVerifier.create(Mono.just(1).delaySubscription(Duration.ofSeconds(1), clock).transformDeferred(breaker.operator()))
                    .thenCancel().verify(Duration.ofSeconds(5));
            // subscribed, before the first row
            StepVerifier.create(Flux.<Integer>never().transformDeferred(breaker.operator()), 0)
                    .thenCancel().verify(Duration.ofSeconds(5));
            StepVerifier.create(Flux.<Integer>never().transformDeferred(breaker.operator()), 1)
                    .thenCancel().verify(Duration.ofSeconds(5));
            // mid-stream, after the first row (already a success: cancelling must not count twice)
            StepVerifier.create(Flux.range(1, 100).transformDeferred(breaker.operator()), 1)
                    .expectNext(1)
                    .thenCancel().verify(Duration.ofSeconds(5));
            if (breaker.state() == State.CLOSED) {
                break;
            }
        }
        CircuitBreaker fresh = halfOpenBreaker();
        for (int i = 0; i < 10; i++) {
            StepVerifier.create(Flux.<Integer>never().transformDeferred(fresh.operator()), 0)
                    .thenCancel().verify(Duration.ofSeconds(5));
            StepVerifier.create(Mono.<Integer>never().delaySubscription(Duration.ofSeconds(1), clock)
                    .transformDeferred(fresh.operator())).thenCancel().verify(Duration.ofSeconds(5));
        }
        assertThat(fresh.state()).isEqualTo(State.HALF_OPEN);
        assertThat(fresh.metrics().notPermittedCalls()).as("cancelled trials gave their permits back").isZero();
        succeed(fresh);
        succeed(fresh);
        succeed(fresh);
        assertThat(fresh.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void cancellationIsNeitherSuccessNorFailure() {
        CircuitBreaker breaker = breaker(settings().build());
        StepVerifier.create(Flux.<Integer>never().transformDeferred(breaker.operator())).thenCancel().verify(Duration.ofSeconds(5));
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        for (int i = 0; i < 4; i++) {
            fail(breaker, connectionRefused());
        }
        StepVerifier.create(Flux.<Integer>never().transformDeferred(breaker.operator())).thenCancel().verify(Duration.ofSeconds(5));
        assertThat(breaker.metrics().consecutiveFailures()).isEqualTo(4);
    }

    @Test
    void theOperatorKeepsAMonoAMono() {
        CircuitBreaker breaker = breaker(settings().build());
        Mono<Integer> guarded = Mono.just(7).transformDeferred(breaker.operator());
        StepVerifier.create(guarded).expectNext(7).verifyComplete();
        assertThat(breaker.<Integer>operator().apply(Mono.just(1))).isInstanceOf(Mono.class);
        assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    }

    @Test
    void aSlowCallFromBeforeATransitionDoesNotChangeTheNewState() {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(2).build());
        TestPublisher<Integer> slow = TestPublisher.create();
        slow.flux().transformDeferred(breaker.operator()).subscribe(x -> { }, e -> { });
        fail(breaker, connectionRefused());
        fail(breaker, connectionRefused());
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        slow.error(connectionRefused());
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void eventsReportCallsAndTransitions() {
        CircuitBreaker breaker = breaker(settings().consecutiveFailures(1).halfOpenTrialCalls(1).build());
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.events().subscribe(events::add);
        succeed(breaker);
        fail(breaker, connectionRefused());
        StepVerifier.create(Mono.just(1).transformDeferred(breaker.operator())).verifyError(CircuitBreakerOpenException.class);
        clock.advanceTimeBy(Duration.ofSeconds(30));
        succeed(breaker);
        assertThat(events).extracting(CircuitBreakerEvent::type).containsExactly(
                CircuitBreakerEvent.Type.SUCCESS, CircuitBreakerEvent.Type.FAILURE, CircuitBreakerEvent.Type.STATE_TRANSITION,
                CircuitBreakerEvent.Type.NOT_PERMITTED, CircuitBreakerEvent.Type.STATE_TRANSITION,
                CircuitBreakerEvent.Type.SUCCESS, CircuitBreakerEvent.Type.STATE_TRANSITION);
        assertThat(events).filteredOn(e -> e.type() == CircuitBreakerEvent.Type.STATE_TRANSITION)
                .extracting(e -> e.previousState() + "->" + e.state())
                .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
        assertThat(events.get(1).consecutiveFailures()).isEqualTo(1);
        assertThat(events.get(1).error()).isInstanceOf(R2dbcNonTransientResourceException.class);
        assertThat(breaker.metrics().transitions()).isEqualTo(3);
    }

    @Test
    void resetClosesAnOpenBreaker() {
        CircuitBreaker breaker = openBreaker();
        breaker.reset();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        succeed(breaker);
    }

    @Test
    void theDefaultClockFollowsVirtualTime() {
        StepVerifier.withVirtualTime(() -> {
                    CircuitBreaker breaker = CircuitBreaker.of("orders", settings().consecutiveFailures(1).build());
                    return Flux.<Integer>error(connectionRefused()).transformDeferred(breaker.operator())
                            .onErrorResume(e -> Mono.empty())
                            .concatWith(Mono.just(1).transformDeferred(breaker.operator()).onErrorReturn(-1))
                            .concatWith(Mono.delay(Duration.ofSeconds(30)).then(Mono.just(2).transformDeferred(breaker.operator())));
                })
                .expectNext(-1)
                .thenAwait(Duration.ofSeconds(30))
                .expectNext(2)
                .verifyComplete();
    }

    @Test
    void theBreakerOperatorIsMadeOfReactorsScannableOperators() {
        java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscription> given =
                new java.util.concurrent.atomic.AtomicReference<>();
        reactor.core.publisher.BaseSubscriber<Integer> subscriber = new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                given.set(subscription);
            }
        };
        TestPublisher<Integer> source = TestPublisher.create();
        breaker(settings().build()).guard(source.flux()).subscribe(subscriber);
        reactor.core.Scannable scanned = reactor.core.Scannable.from(given.get());
        assertThat(scanned.isScanAvailable()).isTrue();
        assertThat(scanned.scanUnsafe(reactor.core.Scannable.Attr.ACTUAL)).isSameAs(subscriber);
        assertThat(scanned.parents().count()).as("the guarded source is reachable").isPositive();
        subscriber.cancel();
    }
}
