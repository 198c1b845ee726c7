package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/** The {@code Flux} of a {@link HashJoin}; each subscriber gets its own {@link JoinCoordinator}. */
final class FluxHashJoin extends Flux<Row> {

    private final HashJoin.Spec spec;

    FluxHashJoin(HashJoin.Spec spec) {
        this.spec = spec;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Row> actual) {
        JoinCoordinator coordinator = new JoinCoordinator(spec, actual);
        actual.onSubscribe(coordinator);
        coordinator.start();
    }

    /** Collects the build side: requests everything, hands each row to the coordinator. */
    static final class BuildInput implements CoreSubscriber<Row> {

        @SuppressWarnings("rawtypes")
        private static final AtomicReferenceFieldUpdater<BuildInput, Subscription> S =
                AtomicReferenceFieldUpdater.newUpdater(BuildInput.class, Subscription.class, "s");

        private final JoinCoordinator parent;
        private volatile @Nullable Subscription s;
        private boolean done;

        BuildInput(JoinCoordinator parent) {
            this.parent = parent;
        }

        @Override
        public Context currentContext() {
            return parent.context();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(S, this, s)) {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Row row) {
            if (done) {
                Operators.onNextDropped(row, currentContext());
                return;
            }
            try {
                parent.onBuildRow(row);
            } catch (Throwable e) {
                Subscription current = s;
                onError(Operators.onOperatorError(current, e, row, currentContext()));
            }
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, currentContext());
                return;
            }
            done = true;
            parent.onInputError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            parent.onBuildComplete();
        }

        void cancel() {
            Operators.terminate(S, this);
        }
    }

    /**
     * Streams the probe side into a bounded queue: requests {@code prefetch} rows, then replenishes
     * {@code limit} rows each time the coordinator has consumed that many (as reactor-core's
     * {@code FluxZip.ZipInner}).
     */
    static final class ProbeInput implements CoreSubscriber<Row> {

        @SuppressWarnings("rawtypes")
        private static final AtomicReferenceFieldUpdater<ProbeInput, Subscription> S =
                AtomicReferenceFieldUpdater.newUpdater(ProbeInput.class, Subscription.class, "s");

        final Queue<Row> queue;
        private final JoinCoordinator parent;
        private final int prefetch;
        private final int limit;
        private volatile @Nullable Subscription s;
        volatile boolean done;
        private int consumed;

        ProbeInput(JoinCoordinator parent, int prefetch) {
            this.parent = parent;
            this.prefetch = prefetch;
            this.limit = prefetch == Integer.MAX_VALUE ? Integer.MAX_VALUE : prefetch - (prefetch >> 2);
            this.queue = Queues.<Row>get(prefetch).get();
        }

        @Override
        public Context currentContext() {
            return parent.context();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(S, this, s)) {
                s.request(prefetch == Integer.MAX_VALUE ? Long.MAX_VALUE : prefetch);
            }
        }

        @Override
        public void onNext(Row row) {
            if (done) {
                Operators.onNextDropped(row, currentContext());
                return;
            }
            if (parent.isCancelled()) {
                Operators.onDiscard(row, currentContext());
                return;
            }
            if (!queue.offer(row)) {
                Subscription current = s;
                onError(Operators.onOperatorError(current, Exceptions.failWithOverflow(
                        Exceptions.BACKPRESSURE_ERROR_QUEUE_FULL), row, currentContext()));
                return;
            }
            parent.drain();
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, currentContext());
                return;
            }
            done = true;
            parent.onInputError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            parent.drain();
        }

        /** Called by the coordinator's drain loop for each row taken from the queue. */
        void consumed() {
            if (limit == Integer.MAX_VALUE) {
                return;
            }
            int c = consumed + 1;
            if (c == limit) {
                consumed = 0;
                Subscription current = s;
                if (current != null) {
                    current.request(c);
                }
            } else {
                consumed = c;
            }
        }

        void cancel() {
            Operators.terminate(S, this);
        }
    }
}
