package dev.tributary.core.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * The per-attempt guards of a query in one operator: {@code retry(breaker(statementTimeout(attempt)))}, as
 * {@link Resilience} documents them. Each attempt takes a breaker permit (a refusal is the attempt's error),
 * arms the statement timer, and subscribes to the cold source; the attempt's first signal settles it: its first
 * item or completion is a breaker success and disarms the timer, an error or the timer is a breaker failure
 * and is retried (after exponential backoff with jitter, as Reactor's {@code Retry.backoff}) while the error is
 * retryable and retries are left. Once an item has passed nothing is retried, so items flow through with one
 * plain flag check each. Demand is accumulated and replayed to each new attempt (none has delivered an item).
 *
 * <p>Per subscription it allocates its two subscribers and, when a statement timeout is set, one timer task;
 * backoff timers only when an attempt fails. The whole-query timeout, rarely set, is composed around it.
 */
final class FluxQueryGuard<T> extends Flux<T> implements Scannable {

    private final Flux<T> source;
    private final String database;
    private final @Nullable CircuitBreaker breaker;
    private final RetrySettings retry;
    private final @Nullable Duration statementTimeout;
    private final @Nullable Scheduler scheduler;

    FluxQueryGuard(Publisher<T> source, String database, @Nullable CircuitBreaker breaker, RetrySettings retry,
            @Nullable Duration statementTimeout, @Nullable Scheduler scheduler) {
        this.source = Flux.from(source);
        this.database = database;
        this.breaker = breaker;
        this.retry = retry;
        this.statementTimeout = statementTimeout;
        this.scheduler = scheduler;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Guard<T> guard = new Guard<>(this, actual);
        actual.onSubscribe(guard);
        guard.attempt();
    }

    @Override
    public @Nullable Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return source;
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        return null;
    }

    /** The downstream subscription: demand across attempts, the retry decision, cancellation. */
    static final class Guard<T> implements Subscription, Scannable {

        private static final AtomicIntegerFieldUpdater<Guard> WIP =
                AtomicIntegerFieldUpdater.newUpdater(Guard.class, "wip");
        private static final AtomicLongFieldUpdater<Guard> MISSED_REQUESTED =
                AtomicLongFieldUpdater.newUpdater(Guard.class, "missedRequested");
        @SuppressWarnings("rawtypes")
        private static final AtomicReferenceFieldUpdater<Guard, Subscription> MISSED_SUBSCRIPTION =
                AtomicReferenceFieldUpdater.newUpdater(Guard.class, Subscription.class, "missedSubscription");

        final FluxQueryGuard<T> parent;
        final CoreSubscriber<? super T> actual;

        private volatile boolean cancelled;
        private volatile boolean done;
        private volatile @Nullable Attempt<T> attempt;
        private volatile @Nullable Disposable backoff;
        private int retries; // touched only between attempts, each handing over to the next

        private volatile int wip;
        private volatile long missedRequested;
        private volatile @Nullable Subscription missedSubscription;
        private @Nullable Subscription upstream; // drain loop only
        private long requested; // drain loop only: all demand so far, replayed to a new attempt

        Guard(FluxQueryGuard<T> parent, CoreSubscriber<? super T> actual) {
            this.parent = parent;
            this.actual = actual;
        }

        /**
         * PARENT is the current attempt (which sees the source), ACTUAL the subscriber; REQUESTED_FROM_DOWNSTREAM all
         * demand so far, replayed to each new attempt. Read from another thread, the values may be a moment old.
         */
        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return attempt;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return cancelled;
            }
            if (key == Attr.TERMINATED) {
                return done;
            }
            if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
                return Operators.addCap(requested, missedRequested);
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }

        /** The subscriber, to signal its terminal signal to (once). */
        CoreSubscriber<? super T> terminal() {
            done = true;
            return actual;
        }

        /** Starts the next attempt, unless cancelled. */
        void attempt() {
            if (cancelled) {
                return;
            }
            Attempt<T> a = new Attempt<>(this);
            attempt = a;
            if (!cancelled) { // else cancel() may have missed this attempt: do not start it
                a.start();
            }
        }

        /** An attempt failed before its first item, with its breaker outcome settled: retry it or signal. */
        void failed(Throwable error) {
            if (cancelled) {
                Operators.onErrorDropped(error, actual.currentContext());
                return;
            }
            RetrySettings settings = parent.retry;
            boolean again;
            try {
                again = retries < settings.maxRetries() && settings.retryOn().test(error);
            } catch (Throwable e) {
                terminal().onError(Operators.onOperatorError(e, actual.currentContext()));
                return;
            }
            if (!again) {
                terminal().onError(error); // exhausted or not retryable: the error itself
                return;
            }
            long delay = backoffMillis(settings, retries++);
            try {
                backoff = Guards.resolve(parent.scheduler).schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
            } catch (Throwable e) {
                terminal().onError(Operators.onRejectedExecution(e, actual.currentContext()));
                return;
            }
            if (cancelled) {
                disposeBackoff();
            }
        }

        /** Reactor's {@code Retry.backoff} wait before retry number {@code iteration} (from 0). */
        static long backoffMillis(RetrySettings s, int iteration) {
            long min = s.minBackoff().toMillis();
            long max = s.maxBackoff().toMillis();
            long next = min;
            for (int i = 0; i < iteration && next < max; i++) {
                next *= 2;
            }
            next = Math.min(next, max);
            long offset = Math.round(next * s.jitter());
            long low = Math.max(min - next, -offset);
            long high = Math.min(max - next, offset);
            long jitter = high == low ? 0 : ThreadLocalRandom.current().nextLong(low, high);
            return next + jitter;
        }

        /** A new attempt's upstream: it gets all demand so far. */
        void subscribed(Subscription s) {
            MISSED_SUBSCRIPTION.set(this, s);
            drainDemand();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(MISSED_REQUESTED, this, n);
                drainDemand();
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            Attempt<T> a = attempt;
            if (a != null) {
                a.cancel();
            }
            disposeBackoff();
        }

        private void disposeBackoff() {
            Disposable d = backoff;
            if (d != null) {
                d.dispose();
            }
        }

        /** Hands demand to the current upstream; one thread at a time (reactor-core's {@code wip}/{@code missed}). */
        private void drainDemand() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                Subscription next = MISSED_SUBSCRIPTION.getAndSet(this, null);
                long n = MISSED_REQUESTED.getAndSet(this, 0L);
                if (n != 0) {
                    requested = Operators.addCap(requested, n);
                }
                if (next != null) {
                    upstream = next;
                    if (requested != 0) {
                        next.request(requested);
                    }
                } else if (n != 0 && upstream != null) {
                    upstream.request(n);
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }

    /**
     * One attempt: one breaker call and one subscription to the source. {@link #state} settles the attempt once,
     * at the first of its first item, completion, error, statement timeout or cancellation.
     */
    static final class Attempt<T> implements CoreSubscriber<T>, Runnable, Scannable {

        private static final int NEW = 0;
        private static final int WAITING = 1;
        private static final int STREAMING = 2;
        private static final int DONE = 3;

        private static final AtomicIntegerFieldUpdater<Attempt> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Attempt.class, "state");
        @SuppressWarnings("rawtypes")
        private static final AtomicReferenceFieldUpdater<Attempt, Subscription> UPSTREAM =
                AtomicReferenceFieldUpdater.newUpdater(Attempt.class, Subscription.class, "upstream");

        private final Guard<T> guard;
        private final CoreSubscriber<? super T> actual;
        private volatile int state;
        private volatile @Nullable Subscription upstream;
        private volatile @Nullable Disposable timer;
        private CircuitBreaker.@Nullable Call call;
        private boolean streaming; // signal thread's copy of STREAMING, for the per-item check

        Attempt(Guard<T> guard) {
            this.guard = guard;
            this.actual = guard.actual;
        }

        void start() {
            CircuitBreaker breaker = guard.parent.breaker;
            if (breaker != null) {
                CircuitBreaker.Call c = breaker.tryAcquire();
                if (c.refusal != null) {
                    state = DONE;
                    guard.failed(c.refusal); // refused without a call: nothing to settle
                    return;
                }
                call = c;
                if (!STATE.compareAndSet(this, NEW, WAITING)) {
                    breaker.onCancel(c); // cancelled before it started
                    return;
                }
            } else if (!STATE.compareAndSet(this, NEW, WAITING)) {
                return;
            }
            Duration timeout = guard.parent.statementTimeout;
            if (timeout != null) {
                try {
                    timer = Guards.resolve(guard.parent.scheduler).schedule(this, timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (Throwable e) {
                    onError(Operators.onRejectedExecution(e, actual.currentContext()));
                    return;
                }
                if (state == DONE) {
                    disarm(); // cancelled while the timer was armed
                }
            }
            guard.parent.source.subscribe(this);
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        /** PARENT is the source's subscription, ACTUAL the guard's subscriber; TERMINATED once settled without items. */
        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return guard.cancelled;
            }
            if (key == Attr.TERMINATED) {
                return state == DONE;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(UPSTREAM, this, s)) {
                guard.subscribed(s);
            }
        }

        @Override
        public void onNext(T item) {
            if (streaming) {
                actual.onNext(item);
                return;
            }
            if (!STATE.compareAndSet(this, WAITING, STREAMING)) {
                Operators.onDiscard(item, actual.currentContext()); // timed out or cancelled meanwhile
                return;
            }
            streaming = true;
            disarm();
            CircuitBreaker.Call c = call;
            if (c != null) {
                guard.parent.breaker.onSuccess(c);
            }
            actual.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            if (streaming) {
                guard.terminal().onError(error); // after the first item: never retried, no breaker outcome
                return;
            }
            if (!STATE.compareAndSet(this, WAITING, DONE)) {
                Operators.onErrorDropped(error, actual.currentContext());
                return;
            }
            disarm();
            fail(error);
        }

        @Override
        public void onComplete() {
            if (streaming) {
                guard.terminal().onComplete();
                return;
            }
            if (!STATE.compareAndSet(this, WAITING, DONE)) {
                return;
            }
            disarm();
            CircuitBreaker.Call c = call;
            if (c != null) {
                guard.parent.breaker.onSuccess(c);
            }
            guard.terminal().onComplete();
        }

        /** The statement timer: no first item in time. */
        @Override
        public void run() {
            if (!STATE.compareAndSet(this, WAITING, DONE)) {
                return;
            }
            Operators.terminate(UPSTREAM, this);
            Duration timeout = guard.parent.statementTimeout;
            fail(new QueryTimeoutException(guard.parent.database, QueryTimeoutException.Kind.STATEMENT, timeout));
        }

        private void fail(Throwable error) {
            CircuitBreaker.Call c = call;
            if (c != null) {
                guard.parent.breaker.onError(c, error);
            }
            guard.failed(error);
        }

        void cancel() {
            Operators.terminate(UPSTREAM, this);
            disarm();
            for (;;) {
                int s = state;
                if (s == NEW && STATE.compareAndSet(this, NEW, DONE)) {
                    return; // start() gives its permit back
                }
                if (s == WAITING && STATE.compareAndSet(this, WAITING, DONE)) {
                    CircuitBreaker.Call c = call;
                    if (c != null) {
                        guard.parent.breaker.onCancel(c);
                    }
                    return;
                }
                if (s == STREAMING || s == DONE) {
                    return;
                }
            }
        }

        private void disarm() {
            Disposable t = timer;
            if (t != null) {
                t.dispose();
            }
        }
    }
}
