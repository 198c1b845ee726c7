package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.federation.MemoryBudgetExceededException;
import dev.tributary.federation.exec.HashJoin.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.core.scheduler.Schedulers;

/** Demand, cancellation, errors and memory of the hash join, on synthetic publishers. */
@Timeout(60) // a safety net against hangs only; nothing here measures time
class HashJoinDemandTest {

    static final Columns K = Columns.of("k");
    static final Columns KV = Columns.of("k", "v");
    static final Columns OUT = Columns.of("k", "k2", "v");

    static Row key(Object k) {
        return Row.of(K, k);
    }

    static Flux<Row> keys(int from, int count) {
        return Flux.range(from, count).map(HashJoinDemandTest::key);
    }

    /** probe (left: k) joined to build (right: k, v). */
    static HashJoin.Builder join(Flux<Row> probe, Flux<Row> build, int prefetch) {
        return HashJoin.builder().name("join#7 probe x build")
                .left(ProbeSource.of(probe), new int[] {0}, 1)
                .right(ProbeSource.of(build), new int[] {0}, 2)
                .output(OUT).prefetch(prefetch);
    }

    static Flux<Row> buildRows(int count) {
        return Flux.range(0, count).map(i -> Row.of(KV, i, "v" + i));
    }

    @Test
    void tenRequestedRowsRequestAtMostPrefetchProbeRows() {
        AtomicLong requested = new AtomicLong();
        Flux<Row> probe = keys(0, 10_000).map(r -> key((Integer) r.get(0) % 100))
                .doOnRequest(requested::addAndGet);
        StepVerifier.create(join(probe, buildRows(100), 32).build(), 0)
                .thenRequest(10)
                .expectNextCount(10)
                .then(() -> assertThat(requested.get()).isEqualTo(32))
                .thenCancel()
                .verify();
        assertThat(requested.get()).isEqualTo(32);
    }

    @Test
    void probeIsRequestedInBatchesReplenishedAsRowsAreConsumed() {
        List<Long> requests = new ArrayList<>();
        AtomicLong emitted = new AtomicLong();
        Flux<Row> probe = keys(0, 1000).doOnRequest(requests::add).doOnNext(r -> emitted.incrementAndGet());
        StepVerifier.create(join(probe, buildRows(1000), 16).build(), 0)
                .thenRequest(100)
                .expectNextCount(100)
                .then(() -> assertThat(requests.stream().mapToLong(Long::longValue).sum() - emitted.get())
                        .isBetween(0L, 16L))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(900)
                .verifyComplete();
        assertThat(requests).first().isEqualTo(16L);
        assertThat(requests).allSatisfy(n -> assertThat(n).isEqualTo(n == 16L ? 16L : 12L));
    }

    @Test
    void oneProbeRowWithManyMatchesIsEmittedAcrossSeveralRequests() {
        Flux<Row> build = Flux.range(0, 50).map(i -> Row.of(KV, 1L, "v" + i));
        AtomicLong requested = new AtomicLong();
        Flux<Row> probe = Flux.just(key(1)).doOnRequest(requested::addAndGet);
        StepVerifier.create(join(probe, build, 4).build(), 0)
                .thenRequest(10)
                .expectNextCount(10)
                .thenRequest(15)
                .expectNextCount(15)
                .thenRequest(25)
                .expectNextCount(25)
                .verifyComplete();
        assertThat(requested.get()).isEqualTo(4);
    }

    @Test
    void withoutDynamicFilterTheProbeIsPrefetchedWhileTheBuildLoads() {
        TestPublisher<Row> build = TestPublisher.create();
        TestPublisher<Row> probe = TestPublisher.create();
        StepVerifier.create(join(probe.flux(), build.flux(), 8).build(), 0)
                .then(() -> {
                    probe.assertMinRequested(8).assertMaxRequested(8);
                    probe.next(key(1), key(2));
                    build.next(Row.of(KV, 1, "a"));
                })
                .thenRequest(5)
                .then(() -> build.next(Row.of(KV, 2, "b")).complete())
                .expectNext(Row.of(OUT, 1, 1, "a"), Row.of(OUT, 2, 2, "b"))
                .then(() -> probe.next(key(3), key(1)).complete())
                .expectNext(Row.of(OUT, 1, 1, "a"))
                .verifyComplete();
    }

    @Test
    void withADynamicFilterTheProbeIsOpenedOnlyOnceTheBuildIsComplete() {
        TestPublisher<Row> build = TestPublisher.create();
        HashJoinTest.RecordingSource probe = new HashJoinTest.RecordingSource(Flux.just(key(2), key(3)));
        Flux<Row> joined = HashJoin.builder().dynamicFilter(10)
                .left(probe, new int[] {0}, 1).right(ProbeSource.of(build.flux()), new int[] {0}, 2)
                .output(OUT).build();
        StepVerifier.create(joined)
                .then(() -> build.next(Row.of(KV, 2, "b"), Row.of(KV, 2, "c")))
                .then(() -> assertThat(probe.opened).isEmpty())
                .then(build::complete)
                .expectNext(Row.of(OUT, 2, 2, "b"), Row.of(OUT, 2, 2, "c"))
                .verifyComplete();
        assertThat(probe.opened).containsExactly(List.of(2));
    }

    @Test
    void cancellingTheJoinCancelsBothInputs() {
        TestPublisher<Row> build = TestPublisher.create();
        TestPublisher<Row> probe = TestPublisher.create();
        StepVerifier.create(join(probe.flux(), build.flux(), 8).build())
                .then(() -> build.next(Row.of(KV, 1, "a")))
                .thenCancel()
                .verify();
        build.assertCancelled();
        probe.assertCancelled();
    }

    @Test
    void cancellingMidStreamCancelsTheProbeAndReleasesTheBudget() {
        MemoryBudget budget = MemoryBudget.of(1_000_000);
        TestPublisher<Row> probe = TestPublisher.create();
        StepVerifier.create(join(probe.flux(), buildRows(10), 8).budget(budget).build(), 0)
                .then(() -> assertThat(budget.used()).isPositive())
                .then(() -> probe.next(key(1), key(2), key(3)))
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify();
        probe.assertCancelled();
        assertThat(budget.used()).isZero();
    }

    @Test
    void limitingTheResultCancelsBothInputsOnceSatisfied() {
        AtomicBoolean probeCancelled = new AtomicBoolean();
        AtomicLong probeEmitted = new AtomicLong();
        Flux<Row> probe = keys(0, 1_000_000).map(r -> key((Integer) r.get(0) % 10))
                .doOnNext(r -> probeEmitted.incrementAndGet()).doOnCancel(() -> probeCancelled.set(true));
        StepVerifier.create(join(probe, buildRows(10), 8).build().take(3)).expectNextCount(3).verifyComplete();
        assertThat(probeCancelled).isTrue();
        assertThat(probeEmitted.get()).isLessThanOrEqualTo(8);
    }

    @Test
    void aBuildErrorCancelsTheProbeAndIsSignalledOnce() {
        TestPublisher<Row> build = TestPublisher.create();
        TestPublisher<Row> probe = TestPublisher.create();
        ErrorCounter counter = new ErrorCounter();
        join(probe.flux(), build.flux(), 8).build().subscribe(counter);
        build.next(Row.of(KV, 1, "a")).error(new IllegalStateException("build failed"));
        probe.assertCancelled();
        assertThat(counter.errors).hasSize(1);
        assertThat(counter.errors.get(0)).hasMessage("build failed");
    }

    @Test
    void aProbeErrorCancelsTheBuildAndIsSignalledOnce() {
        TestPublisher<Row> build = TestPublisher.create();
        TestPublisher<Row> probe = TestPublisher.create();
        ErrorCounter counter = new ErrorCounter();
        join(probe.flux(), build.flux(), 8).build().subscribe(counter);
        probe.error(new IllegalStateException("probe failed"));
        build.assertCancelled();
        assertThat(counter.errors).hasSize(1);
        assertThat(counter.errors.get(0)).hasMessage("probe failed");
    }

    @Test
    void aProbeErrorIsSignalledAtOnceWithoutWaitingForDemand() {
        Flux<Row> probe = Flux.concat(keys(0, 3), Flux.error(new IllegalStateException("probe failed")));
        StepVerifier.create(join(probe, buildRows(10), 8).build(), 0)
                .expectErrorMessage("probe failed")
                .verify();
    }

    @Test
    void aFailingResidualConditionFailsTheJoinAndCancelsTheProbe() {
        AtomicBoolean probeCancelled = new AtomicBoolean();
        Flux<Row> probe = keys(0, 100).doOnCancel(() -> probeCancelled.set(true));
        RowPredicate failing = row -> {
            throw new ArithmeticException("division by zero");
        };
        StepVerifier.create(join(probe, buildRows(10), 8).extraCondition(failing).build())
                .expectErrorMessage("division by zero")
                .verify();
        assertThat(probeCancelled).isTrue();
    }

    @Test
    void aBuildSideOverTheBudgetFailsNamingTheJoinAndCancelsBothInputs() {
        MemoryBudget budget = MemoryBudget.of(10_000);
        TestPublisher<Row> build = TestPublisher.create();
        TestPublisher<Row> probe = TestPublisher.create();
        AtomicLong buildEmitted = new AtomicLong();
        StepVerifier.create(join(probe.flux(), build.flux().doOnNext(r -> buildEmitted.incrementAndGet()), 8)
                        .budget(budget).build())
                .then(() -> {
                    for (int i = 0; i < 1000; i++) {
                        build.next(Row.of(KV, i, "v" + i));
                    }
                })
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MemoryBudgetExceededException.class)
                        .hasMessageContaining("join#7 probe x build")
                        .hasMessageContaining("10000 bytes")
                        .hasMessageContaining("memoryBudget"))
                .verify();
        build.assertCancelled();
        probe.assertCancelled();
        assertThat(buildEmitted.get()).isLessThan(1000);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aSynchronousBuildSideOverTheBudgetStopsEarlyAndNeverLeavesTheProbeRunning() {
        MemoryBudget budget = MemoryBudget.of(10_000);
        AtomicLong buildEmitted = new AtomicLong();
        TestPublisher<Row> probe = TestPublisher.create();
        StepVerifier.create(join(probe.flux(), buildRows(1_000_000).doOnNext(r -> buildEmitted.incrementAndGet()), 8)
                        .budget(budget).build())
                .expectError(MemoryBudgetExceededException.class)
                .verify();
        assertThat(buildEmitted.get()).isLessThan(1000);
        // the build failed before the probe was subscribed: it is never subscribed at all, or cancelled
        assertThat(!probe.wasSubscribed() || probe.wasCancelled()).isTrue();
        assertThat(budget.used()).isZero();
    }

    @Test
    void theBudgetIsReleasedWhenTheJoinCompletes() {
        MemoryBudget budget = MemoryBudget.of(1_000_000);
        StepVerifier.create(join(keys(0, 20), buildRows(10), 8).budget(budget).build())
                .expectNextCount(10)
                .verifyComplete();
        assertThat(budget.used()).isZero();
    }

    @Test
    void semiJoinKeepsOneBuildRowPerKeyWithoutAResidualCondition() {
        MemoryBudget one = MemoryBudget.of(1_000_000);
        MemoryBudget many = MemoryBudget.of(1_000_000);
        Flux<Row> duplicates = Flux.range(0, 1000).map(i -> Row.of(KV, 1, "v"));
        HashJoin.Builder semi = join(Flux.never(), duplicates, 8).type(JoinType.SEMI).output(K);
        StepVerifier.create(semi.budget(one).build()).thenCancel().verify();
        StepVerifier.create(semi.type(JoinType.INNER).output(OUT).budget(many).build())
                .then(() -> assertThat(many.used()).isGreaterThan(500 * MemoryBudget.estimate(Row.of(KV, 1, "v"))))
                .thenCancel().verify();
        assertThat(one.used()).isZero();
    }

    @Test
    void aMillionProbeRowsThroughASlowSubscriberStayBounded() {
        int prefetch = 64;
        AtomicLong requested = new AtomicLong();
        AtomicLong probeEmitted = new AtomicLong();
        AtomicLong maxOutstanding = new AtomicLong();
        Flux<Row> probe = Flux.range(0, 1_000_000).map(i -> key(i % 1000))
                .doOnRequest(n -> {
                    long outstanding = requested.addAndGet(n) - probeEmitted.get();
                    maxOutstanding.accumulateAndGet(outstanding, Math::max);
                })
                .doOnNext(r -> probeEmitted.incrementAndGet());
        AtomicLong maxHeld = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicBoolean completed = new AtomicBoolean();
        BaseSubscriber<Row> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(7);
            }

            @Override
            protected void hookOnNext(Row value) {
                long n = received.incrementAndGet();
                maxHeld.accumulateAndGet(probeEmitted.get() - n, Math::max);
                if (n % 7 == 0) {
                    request(7);
                }
            }

            @Override
            protected void hookOnComplete() {
                completed.set(true);
            }
        };
        join(probe, buildRows(1000), prefetch).budget(MemoryBudget.of(10_000_000)).build().subscribe(slow);
        assertThat(completed).isTrue();
        assertThat(received.get()).isEqualTo(1_000_000);
        assertThat(maxOutstanding.get()).isLessThanOrEqualTo(prefetch);
        assertThat(maxHeld.get()).isLessThanOrEqualTo(prefetch);
    }

    @Test
    void unmatchedBuildRowsAreEmittedAcrossRequestsAtTheEnd() {
        StepVerifier.create(join(Flux.empty(), buildRows(30), 8).type(JoinType.RIGHT).buildSide(Side.RIGHT)
                        .build(), 0)
                .thenRequest(10)
                .expectNextCount(10)
                .thenRequest(10)
                .expectNextCount(10)
                .thenRequest(10)
                .expectNextCount(10)
                .verifyComplete();
    }

    @Test
    void inputsOnOtherThreadsJoinCompletelyWithEveryJoinType() {
        for (JoinType type : JoinType.values()) {
            for (Side side : Side.values()) {
                Flux<Row> build = Flux.range(0, 20_000).map(i -> Row.of(KV, i % 5000 == 7 ? null : i / 2, "v"))
                        .subscribeOn(Schedulers.parallel());
                Flux<Row> probe = Flux.range(0, 30_000).map(i -> key(i % 11 == 0 ? null : i))
                        .subscribeOn(Schedulers.boundedElastic());
                long count = join(probe, build, 32).type(type).buildSide(side)
                        .output(type.leftOnly() ? K : OUT).build().count().block();
                long reference = join(probe, build, Integer.MAX_VALUE).type(type)
                        .buildSide(side == Side.LEFT ? Side.RIGHT : Side.LEFT)
                        .output(type.leftOnly() ? K : OUT).build().count().block();
                if (type == JoinType.INNER) {
                    assertThat(count).isEqualTo(2 * 9090 - 4);
                }
                assertThat(count).as(type + " building " + side).isEqualTo(reference);
            }
        }
    }

    @Test
    void aJoinThatCompletesNeverCancelsItsFinishedInputs() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<Row> build = buildRows(10).doOnCancel(() -> cancelled.set(true));
        Flux<Row> probe = keys(0, 20).doOnCancel(() -> cancelled.set(true));
        StepVerifier.create(join(probe, build, 4).type(JoinType.FULL).build()).expectNextCount(20).verifyComplete();
        assertThat(cancelled).isFalse();
    }

    @Test
    void notInStopsReadingTheSubqueryAtItsFirstNull() {
        TestPublisher<Row> subquery = TestPublisher.create();
        Flux<Row> outer = Flux.range(0, 5).map(i -> Row.of(KV, i, "o" + i));
        Flux<Row> joined = HashJoin.builder().type(JoinType.NOT_IN).buildSide(Side.LEFT)
                .left(ProbeSource.of(outer), new int[] {0}, 2)
                .right(ProbeSource.of(subquery.flux()), new int[] {0}, 1)
                .output(KV).build();
        StepVerifier.create(joined)
                .then(() -> subquery.next(key(1), key(2)))
                .then(() -> subquery.next(Row.of(K, (Object) null)))
                .verifyComplete();
        subquery.assertCancelled();
    }

    /** Records terminal signals, to check that exactly one arrives. */
    static final class ErrorCounter extends BaseSubscriber<Row> {
        final List<Throwable> errors = new ArrayList<>();
        final AtomicInteger completions = new AtomicInteger();

        @Override
        protected void hookOnError(Throwable throwable) {
            errors.add(throwable);
        }

        @Override
        protected void hookOnComplete() {
            completions.incrementAndGet();
        }
    }
}
