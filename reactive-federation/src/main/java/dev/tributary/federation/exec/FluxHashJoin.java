package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/** The {@code Flux} of a {@link HashJoin}; each subscriber gets its own {@link JoinCoordinator}. */
final class FluxHashJoin extends Flux<Row> implements Scannable {

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

    @Override
    public @Nullable Object scanUnsafe(Attr key) {
        if (key == Attr.PREFETCH) {
            return spec.prefetch();
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        return null;
    }

    /** What both inputs share: the subscription (set once, cancellable before it arrives), the done flag, errors. */
    abstract static class Input implements CoreSubscriber<Row>, Scannable {

        @SuppressWarnings("rawtypes")
        private static final AtomicReferenceFieldUpdater<Input, Subscription> S =
                AtomicReferenceFieldUpdater.newUpdater(Input.class, Subscription.class, "s");

        final JoinCoordinator parent;
        volatile @Nullable Subscription s;
        volatile boolean done;

        Input(JoinCoordinator parent) {
            this.parent = parent;
        }

        /** PARENT the input's source, ACTUAL the join's coordinator; PREFETCH and BUFFERED per input. */
        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return s;
            }
            if (key == Attr.ACTUAL) {
                return parent;
            }
            if (key == Attr.TERMINATED) {
                return done;
            }
            if (key == Attr.CANCELLED) {
                return parent.isCancelled() && !done;
            }
            if (key == Attr.PREFETCH) {
                long initial = initialRequest();
                return initial >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) initial;
            }
            if (key == Attr.BUFFERED) {
                return buffered();
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }

        /** Rows received and not yet consumed. */
        abstract int buffered();

        /** The first request, made once the subscription is set. */
        abstract long initialRequest();

        /** Handles one row; called only before a terminal signal. */
        abstract void accept(Row row);

        /** Handles completion; called once. */
        abstract void completed();

        @Override
        public final Context currentContext() {
            return parent.context();
        }

        @Override
        public final void onSubscribe(Subscription s) {
            if (Operators.setOnce(S, this, s)) {
                s.request(initialRequest());
            }
        }

        @Override
        public final void onNext(Row row) {
            if (done) {
                Operators.onNextDropped(row, currentContext());
                return;
            }
            accept(row);
        }

        @Override
        public final void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, currentContext());
                return;
            }
            done = true;
            parent.onInputError(t);
        }

        @Override
        public final void onComplete() {
            if (done) {
                return;
            }
            done = true;
            completed();
        }

        /** Fails this input with {@code e}, raised while handling {@code row}, cancelling its subscription. */
        final void fail(Throwable e, Row row) {
            onError(Operators.onOperatorError(s, e, row, currentContext()));
        }

        /** Cancels the input unless it already terminated (a finished query needs no cancel signal). */
        final void cancel() {
            if (!done) {
                Operators.terminate(S, this);
            }
        }
    }

    /** Collects the build side: requests everything, hands each row to the coordinator. */
    static final class BuildInput extends Input {

        BuildInput(JoinCoordinator parent) {
            super(parent);
        }

        @Override
        long initialRequest() {
            return Long.MAX_VALUE;
        }

        @Override
        int buffered() {
            return 0; // each row goes into the join table at once
        }

        @Override
        void accept(Row row) {
            try {
                parent.onBuildRow(row);
            } catch (Throwable e) {
                fail(e, row);
            }
        }

        @Override
        void completed() {
            parent.onBuildComplete();
        }
    }

    /**
     * Streams the probe side into a bounded queue: requests {@code prefetch} rows, then replenishes
     * {@code limit} rows each time the coordinator has consumed that many (as reactor-core's
     * {@code FluxZip.ZipInner}).
     */
    static final class ProbeInput extends Input {

        final Queue<Row> queue;
        private final int prefetch;
        private final int limit;
        private int consumed;

        ProbeInput(JoinCoordinator parent, int prefetch) {
            super(parent);
            this.prefetch = prefetch;
            this.limit = prefetch == Integer.MAX_VALUE ? Integer.MAX_VALUE : prefetch - (prefetch >> 2);
            this.queue = Queues.<Row>get(prefetch).get();
        }

        @Override
        long initialRequest() {
            return prefetch == Integer.MAX_VALUE ? Long.MAX_VALUE : prefetch;
        }

        @Override
        int buffered() {
            return queue.size();
        }

        @Override
        void accept(Row row) {
            if (parent.isCancelled()) {
                Operators.onDiscard(row, currentContext());
                return;
            }
            if (parent.tryDirect(row, this)) {
                return;
            }
            if (!queue.offer(row)) {
                fail(Exceptions.failWithOverflow(Exceptions.BACKPRESSURE_ERROR_QUEUE_FULL), row);
                return;
            }
            parent.drain();
        }

        @Override
        void completed() {
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
    }
}
