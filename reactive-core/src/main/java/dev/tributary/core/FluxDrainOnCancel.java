package dev.tributary.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * Passes a driver's rows through; when the subscriber cancels before the end, after at least one row, keeps
 * reading for a little while instead of cancelling the driver at once: at most {@code maxRows} more rows
 * (discarded) within {@code maxTime}. A cancel before the first row (a statement still running, as when a
 * timeout fires) cancels the driver at once and emits false. If the driver completes within that budget the connection is clean and can go back to
 * the pool ({@code outcome} emits true); otherwise the driver is cancelled and {@code outcome} emits false,
 * and the caller must invalidate the connection. This keeps {@code query(...).next()} on a small result from
 * costing a new connection, while a cancelled large result never makes the next borrower wait (CANCEL.md).
 */
final class FluxDrainOnCancel<T> extends FluxOperator<T, T> {

    private final long maxRows;
    private final Duration maxTime;
    private final Sinks.One<Boolean> outcome;

    FluxDrainOnCancel(Flux<? extends T> source, long maxRows, Duration maxTime, Sinks.One<Boolean> outcome) {
        super(source);
        this.maxRows = maxRows;
        this.maxTime = maxTime;
        this.outcome = outcome;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new DrainSubscriber<>(actual, maxRows, maxTime, outcome));
    }

    static final class DrainSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

        private final CoreSubscriber<? super T> actual;
        private final long maxRows;
        private final Duration maxTime;
        private final Sinks.One<Boolean> outcome;
        private final AtomicBoolean decided = new AtomicBoolean();
        private @Nullable Subscription upstream;
        private volatile boolean draining;
        private volatile boolean done;
        private volatile boolean streaming;
        private long drainedRows;
        private @Nullable Disposable timer;

        DrainSubscriber(CoreSubscriber<? super T> actual, long maxRows, Duration maxTime, Sinks.One<Boolean> outcome) {
            this.actual = actual;
            this.maxRows = maxRows;
            this.maxTime = maxTime;
            this.outcome = outcome;
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return actual.currentContext();
        }

        /** Cancelled once the subscriber cancelled (draining, or given up); terminated once the driver ended. */
        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return draining;
            }
            if (key == Attr.TERMINATED) {
                return done;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(T t) {
            if (done) {
                Operators.onNextDropped(t, actual.currentContext());
                return;
            }
            if (draining) {
                Operators.onDiscard(t, actual.currentContext());
                if (++drainedRows > maxRows) {
                    giveUp();
                }
                return;
            }
            if (!streaming) {
                streaming = true; // once: a volatile store per row would cost a fence per row
            }
            actual.onNext(t);
        }

        @Override
        public void onError(Throwable t) {
            if (done) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            done = true;
            if (draining) {
                // the statement ended, with an error, while we drained: a driver error leaves the connection usable
                decide(t instanceof io.r2dbc.spi.R2dbcException);
                return;
            }
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            if (draining) {
                decide(true);
                return;
            }
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            if (!draining) {
                upstream.request(n);
            }
        }

        @Override
        public void cancel() {
            if (draining) {
                return;
            }
            draining = true;
            if (done) {
                decide(true);
                return;
            }
            if (!streaming) {
                // no row yet: the statement is still running (a timeout, an impatient caller); nothing cheap to drain
                giveUp();
                return;
            }
            timer = Mono.delay(maxTime).subscribe(tick -> giveUp());
            upstream.request(maxRows + 1);
        }

        private void giveUp() {
            if (decide(false)) {
                upstream.cancel();
            }
        }

        private boolean decide(boolean clean) {
            if (!decided.compareAndSet(false, true)) {
                return false;
            }
            Disposable t = timer;
            if (t != null) {
                t.dispose();
            }
            outcome.tryEmitValue(clean);
            return true;
        }
    }
}
