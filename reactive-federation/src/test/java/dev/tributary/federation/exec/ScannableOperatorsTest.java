package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Row;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.Scannable.Attr;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.publisher.TestPublisher;

/** The hash join's subscription and inputs are {@link Scannable}, so checkpoints and debugging tools see through them. */
class ScannableOperatorsTest {

    /** A subscriber that requests {@code n} rows and keeps the subscription it was given. */
    private static final class Requesting extends BaseSubscriber<Row> {

        final AtomicReference<Subscription> given = new AtomicReference<>();
        private final long n;

        Requesting(long n) {
            this.n = n;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            given.set(subscription);
            subscription.request(n);
        }
    }

    @Test
    void theJoinScansItsSubscriberDemandPrefetchAndBothInputs() {
        TestPublisher<Row> probe = TestPublisher.create();
        Flux<Row> join = HashJoinDemandTest.join(probe.flux(), HashJoinDemandTest.buildRows(10), 16).build();
        assertThat(Scannable.from(join).scan(Attr.PREFETCH)).isEqualTo(16);

        Requesting subscriber = new Requesting(5);
        join.subscribe(subscriber);
        Scannable coordinator = Scannable.from(subscriber.given.get());
        assertThat(coordinator.isScanAvailable()).isTrue();
        assertThat(coordinator.scanUnsafe(Attr.ACTUAL)).isSameAs(subscriber);
        assertThat(coordinator.scan(Attr.REQUESTED_FROM_DOWNSTREAM)).isEqualTo(5L);
        assertThat(coordinator.scan(Attr.PREFETCH)).isEqualTo(16);
        assertThat(coordinator.scan(Attr.CANCELLED)).isFalse();
        assertThat(coordinator.scan(Attr.TERMINATED)).isFalse();

        List<? extends Scannable> inputs = coordinator.inners().toList();
        assertThat(inputs).hasSize(2);
        Scannable build = inputs.get(0);
        Scannable probeInput = inputs.get(1);
        assertThat(build.scan(Attr.TERMINATED)).as("the build side was read to its end").isTrue();
        assertThat(build.scan(Attr.PREFETCH)).isEqualTo(Integer.MAX_VALUE);
        assertThat(probeInput.scan(Attr.PREFETCH)).isEqualTo(16);
        assertThat(probeInput.scan(Attr.TERMINATED)).isFalse();
        assertThat(probeInput.scan(Attr.PARENT)).isNotNull();
        assertThat(probeInput.scanUnsafe(Attr.ACTUAL)).isSameAs(coordinator);
        assertThat(probeInput.scan(Attr.BUFFERED)).isZero();

        probe.next(HashJoinDemandTest.key(1));
        assertThat(coordinator.scan(Attr.REQUESTED_FROM_DOWNSTREAM)).as("one row emitted").isEqualTo(4L);

        subscriber.cancel();
        assertThat(coordinator.scan(Attr.CANCELLED)).isTrue();
        assertThat(probeInput.scan(Attr.CANCELLED)).isTrue();
    }

    @Test
    void aJoinWhoseInputsEndedScansTerminated() {
        Requesting subscriber = new Requesting(Long.MAX_VALUE);
        HashJoinDemandTest.join(HashJoinDemandTest.keys(0, 3), HashJoinDemandTest.buildRows(3), 16).build()
                .subscribe(subscriber);
        Scannable coordinator = Scannable.from(subscriber.given.get());
        assertThat(coordinator.scan(Attr.TERMINATED)).isTrue();
        assertThat(coordinator.scan(Attr.BUFFERED)).isZero();
    }
}
