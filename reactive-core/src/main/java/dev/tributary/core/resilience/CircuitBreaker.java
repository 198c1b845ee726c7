package dev.tributary.core.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A circuit breaker guarding one database: it fails calls at once while the database is down, and lets a few
 * trial calls through when it may be back.
 *
 * <ul>
 *   <li><b>CLOSED</b>: calls pass; their outcomes go into a count-based sliding window. The breaker opens when
 *       at least {@code minimumCalls} outcomes are in the window and the share of failures reaches
 *       {@code failureRateThreshold}, or after {@code consecutiveFailures} failures in a row.</li>
 *   <li><b>OPEN</b>: every call fails at once with {@link CircuitBreakerOpenException} (a
 *       {@code DatabaseUnavailableException}) without subscribing to the guarded publisher. A breaker built with
 *       a {@linkplain #probing probe} (every {@code Database}'s is: its health validation) runs the probe
 *       after {@code probeBackoff} (1 s by default), then at twice the previous wait, at most {@code waitInOpen};
 *       a refused call also starts one when none ran for {@code probeBackoff}. The breaker closes as soon as a
 *       probe succeeds. After {@code waitInOpen} the next call (or {@link #state()})
 *       moves the breaker to HALF_OPEN.</li>
 *   <li><b>HALF_OPEN</b>: up to {@code halfOpenTrialCalls} trial calls pass at a time, others are refused.
 *       When that many trial calls succeeded the breaker closes; a trial call that fails reopens it.</li>
 * </ul>
 *
 * <p>A call is one subscription to the guarded publisher. It <em>succeeds</em> at its first item (or when it
 * completes empty), so a long scan is not a slow failure; it <em>fails</em> when it signals an error before its
 * first item that {@link CircuitBreakerSettings#recordFailure()} counts (by default connection, resource, I/O
 * and timeout errors; not the caller's mistakes such as bad grammar). A call cancelled before its outcome is
 * neither: it only gives its trial permit back, so cancelled calls never leave the breaker stuck half-open. An
 * outcome is recorded only in the state generation the call started in: a slow call from before a transition
 * does not change the new state.
 *
 * <p>Time comes from a {@link Scheduler} clock ({@link Schedulers#parallel()} by default, looked up on each
 * use, so {@code StepVerifier.withVirtualTime} controls it). Thread-safe.
 */
public final class CircuitBreaker {

    /** The states of a breaker. */
    public enum State {
        /** Calls pass and are counted. */
        CLOSED,
        /** Calls fail at once. */
        OPEN,
        /** A limited number of trial calls pass. */
        HALF_OPEN
    }

    /** A probe that has not answered within this (or waitInOpen, if shorter) failed. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final CircuitBreakerSettings settings;
    private final @Nullable Scheduler clock;
    private final Sinks.Many<CircuitBreakerEvent> events = Sinks.many().multicast().directBestEffort();
    private final @Nullable Supplier<? extends @Nullable Publisher<?>> probe;

    // all below guarded by this
    private State state = State.CLOSED;
    private long generation;
    private final boolean[] window;
    private int windowNext;
    private int windowCount;
    private int windowFailures;
    private int consecutive;
    private long retryAtMillis;
    private int trialsRunning;
    private int trialsSucceeded;
    private @Nullable Throwable lastFailure;
    private long notPermitted;
    private long transitions;
    private boolean probing;
    private long lastProbeMillis;

    private CircuitBreaker(String name, CircuitBreakerSettings settings, @Nullable Scheduler clock,
            @Nullable Supplier<? extends @Nullable Publisher<?>> probe) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.probe = probe;
        this.window = new boolean[settings.slidingWindowSize()];
    }

    /** A closed breaker named {@code name} (the database's name) with the default settings. */
    public static CircuitBreaker of(String name) {
        return new CircuitBreaker(name, CircuitBreakerSettings.defaults(), null, null);
    }

    /** A closed breaker named {@code name} (the database's name). */
    public static CircuitBreaker of(String name, CircuitBreakerSettings settings) {
        return new CircuitBreaker(name, settings, null, null);
    }

    /** A closed breaker reading time from {@code clock} instead of {@link Schedulers#parallel()}. */
    public static CircuitBreaker of(String name, CircuitBreakerSettings settings, Scheduler clock) {
        return new CircuitBreaker(name, settings, Objects.requireNonNull(clock, "clock"), null);
    }

    /**
     * A closed breaker that, while open, checks whether the database is back by subscribing to the publisher
     * {@code probe} supplies (a cheap check such as the health validation, bounded by its own timeout) after
     * {@link CircuitBreakerSettings#probeBackoff()}, then at twice the previous wait, at most
     * {@link CircuitBreakerSettings#waitInOpen()}, and at once when a call is refused and no probe ran for
     * probeBackoff (so under load the breaker notices a recovery within about probeBackoff); one probe runs at a
     * time. It closes as soon as a probe emits an item or completes. A
     * probe's error, or no answer within 10 s (or waitInOpen, if shorter), is recorded as the last failure. {@code probe} may return null to stop probing (the
     * database was closed). Time comes from {@code clock}, or {@link Schedulers#parallel()} when null.
     */
    public static CircuitBreaker probing(String name, CircuitBreakerSettings settings, @Nullable Scheduler clock,
            Supplier<? extends @Nullable Publisher<?>> probe) {
        return new CircuitBreaker(name, settings, clock, Objects.requireNonNull(probe, "probe"));
    }

    /** The name given at creation, normally the database's name. */
    public String name() {
        return name;
    }

    public CircuitBreakerSettings settings() {
        return settings;
    }

    /**
     * The operator that guards a publisher with this breaker, for {@code flux.transformDeferred(breaker.operator())}
     * or {@code mono.transformDeferred(breaker.operator())}. Applied to a {@code Mono} it returns a {@code Mono}.
     * Each subscription is one call; a refused call signals {@link CircuitBreakerOpenException} without
     * subscribing to the publisher.
     */
    public <T> UnaryOperator<Publisher<T>> operator() {
        return new CircuitBreakerOperator<>(this);
    }

    /** As {@link #operator()} applied to {@code source}. */
    public <T> Flux<T> guard(Publisher<T> source) {
        return CircuitBreakerOperator.guardFlux(this, source);
    }

    /** The current state; an OPEN breaker whose wait is over moves to HALF_OPEN first. */
    public synchronized State state() {
        if (state == State.OPEN && now() >= retryAtMillis) {
            transition(State.HALF_OPEN, null);
        }
        return state;
    }

    /** A snapshot of the state and counts. */
    public synchronized CircuitBreakerMetrics metrics() {
        State s = state();
        double rate = windowCount == 0 ? 0 : 100.0 * windowFailures / windowCount;
        return new CircuitBreakerMetrics(s, windowCount, windowFailures, rate, consecutive, notPermitted, transitions,
                lastFailure, s == State.OPEN ? Instant.ofEpochMilli(retryAtMillis) : null);
    }

    /**
     * The breaker's events: every call's outcome, refused calls and state transitions, to every subscriber from
     * the moment it subscribes. A subscriber that does not keep up misses events (they are not buffered), and it
     * should not block: events are emitted on the thread of the call.
     */
    public Flux<CircuitBreakerEvent> events() {
        return events.asFlux();
    }

    /** Closes the breaker and clears its counts, whatever its state; trial calls still running no longer count. */
    public synchronized void reset() {
        State from = state;
        state = State.CLOSED;
        generation++;
        clearCounts();
        trialsRunning = 0;
        trialsSucceeded = 0;
        emit(CircuitBreakerEvent.Type.RESET, from, Duration.ZERO, null);
    }

    // ---- calls, used by CircuitBreakerOperator ----

    /** A permit for one call; a refused call's permit carries the {@linkplain Call#refusal refusal} to signal. */
    synchronized Call tryAcquire() {
        long now = now();
        if (state == State.OPEN) {
            if (now < retryAtMillis) {
                probeOnDemand(now);
                return refuse();
            }
            transition(State.HALF_OPEN, null);
        }
        if (state == State.HALF_OPEN) {
            if (trialsRunning + trialsSucceeded >= settings.halfOpenTrialCalls()) {
                return refuse();
            }
            trialsRunning++;
            return new Call(generation, true, now);
        }
        return new Call(generation, false, now);
    }

    private Call refuse() {
        notPermitted++;
        CircuitBreakerOpenException refusal = refusal();
        emit(CircuitBreakerEvent.Type.NOT_PERMITTED, state, Duration.ZERO, refusal);
        return new Call(refusal);
    }

    /** The exception a refused call signals, describing the current state. */
    private CircuitBreakerOpenException refusal() {
        Throwable cause = lastFailure;
        String last = cause == null ? "none recorded" : describe(cause);
        if (state == State.OPEN) {
            long waitMillis = Math.max(0, retryAtMillis - now());
            Instant at = Instant.ofEpochMilli(retryAtMillis);
            return new CircuitBreakerOpenException(name, State.OPEN, at, "Database '" + name
                    + "' is unavailable: its circuit breaker is OPEN and fails calls at once; it lets trial calls through in "
                    + formatMillis(waitMillis) + " (at " + at + ")"
                    + (probe == null ? "" : ", or closes as soon as a probe of the database succeeds (a probe runs"
                    + " every " + formatMillis(settings.probeBackoff().toMillis()) + " while calls arrive, else at"
                    + " doubling intervals up to " + formatMillis(settings.waitInOpen().toMillis()) + ")")
                    + ". Last failure: " + last
                    + ". Tune with CircuitBreakerSettings (waitInOpen, failureRateThreshold, consecutiveFailures).", cause);
        }
        return new CircuitBreakerOpenException(name, state, null, "Database '" + name
                + "' is unavailable: its circuit breaker is " + state + " and all " + settings.halfOpenTrialCalls()
                + " trial calls are running; calls pass again when they succeed. Last failure: " + last + ".", cause);
    }

    synchronized void onSuccess(Call call) {
        Duration elapsed = elapsed(call);
        if (call.generation != generation) {
            return;
        }
        if (state == State.HALF_OPEN) {
            trialsRunning--;
            trialsSucceeded++;
            emit(CircuitBreakerEvent.Type.SUCCESS, state, elapsed, null);
            if (trialsSucceeded >= settings.halfOpenTrialCalls()) {
                transition(State.CLOSED, null);
            }
            return;
        }
        consecutive = 0;
        record(false);
        emit(CircuitBreakerEvent.Type.SUCCESS, state, elapsed, null);
    }

    synchronized void onError(Call call, Throwable error) {
        Duration elapsed = elapsed(call);
        boolean failure = settings.recordFailure().test(error);
        if (failure) {
            lastFailure = error;
        }
        if (call.generation != generation) {
            return;
        }
        if (!failure) {
            if (state == State.HALF_OPEN) {
                trialsRunning--;
            }
            emit(CircuitBreakerEvent.Type.IGNORED_ERROR, state, elapsed, error);
            return;
        }
        if (state == State.HALF_OPEN) {
            trialsRunning--;
            emit(CircuitBreakerEvent.Type.FAILURE, state, elapsed, error);
            transition(State.OPEN, error);
            return;
        }
        consecutive++;
        record(true);
        emit(CircuitBreakerEvent.Type.FAILURE, state, elapsed, error);
        boolean tooMany = settings.consecutiveFailures() > 0 && consecutive >= settings.consecutiveFailures();
        boolean rateReached = windowCount >= settings.minimumCalls()
                && 100.0 * windowFailures / windowCount >= settings.failureRateThreshold();
        if (tooMany || rateReached) {
            transition(State.OPEN, error);
        }
    }

    synchronized void onCancel(Call call) {
        Duration elapsed = elapsed(call);
        if (call.generation != generation) {
            return;
        }
        if (state == State.HALF_OPEN) {
            trialsRunning--;
        }
        emit(CircuitBreakerEvent.Type.CANCELLED, state, elapsed, null);
    }

    // ---- internals, called holding the lock ----

    private void record(boolean failed) {
        if (windowCount == window.length) {
            if (window[windowNext]) {
                windowFailures--;
            }
        } else {
            windowCount++;
        }
        window[windowNext] = failed;
        if (failed) {
            windowFailures++;
        }
        windowNext = (windowNext + 1) % window.length;
    }

    private void clearCounts() {
        windowNext = 0;
        windowCount = 0;
        windowFailures = 0;
        consecutive = 0;
    }

    private void transition(State to, @Nullable Throwable cause) {
        State from = state;
        state = to;
        generation++;
        transitions++;
        clearCounts();
        trialsRunning = 0;
        trialsSucceeded = 0;
        if (to == State.OPEN) {
            retryAtMillis = now() + settings.waitInOpen().toMillis();
            lastProbeMillis = now(); // the failure that opened it was as good as a failed probe
            scheduleProbe(generation, settings.probeBackoff().toMillis());
        }
        emit(CircuitBreakerEvent.Type.STATE_TRANSITION, from, Duration.ZERO, cause);
    }

    // ---- probing while open ----

    /**
     * Schedules the next timed probe. Timed probes keep checking an idle database on a backoff; a refused call
     * starts one at once when none ran for probeBackoff (see {@link #probeOnDemand}), so a busy application learns
     * that the database is back within about probeBackoff.
     */
    private void scheduleProbe(long openGeneration, long delayMillis) {
        if (probe == null) {
            return;
        }
        long delay = Math.min(delayMillis, settings.waitInOpen().toMillis());
        try {
            scheduler().schedule(() -> runProbe(openGeneration, delay, true), delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // a disposed scheduler: the breaker still lets trial calls through after waitInOpen
        }
    }

    /** Called holding the lock by a refused call: probes now if no probe runs and none ran for probeBackoff. */
    private void probeOnDemand(long now) {
        if (probe == null || probing || now - lastProbeMillis < settings.probeBackoff().toMillis()) {
            return;
        }
        long openGeneration = generation;
        try {
            scheduler().schedule(() -> runProbe(openGeneration, 0, false));
        } catch (RuntimeException rejected) {
            // the timed probes and waitInOpen still apply
        }
    }

    private void runProbe(long openGeneration, long delayMillis, boolean timed) {
        synchronized (this) {
            if (state != State.OPEN || generation != openGeneration || now() >= retryAtMillis) {
                return; // closed, reopened, or due for trial calls: those take over
            }
            if (probing) { // an on-demand probe runs: the timed ones go on after it
                if (timed) {
                    scheduleProbe(openGeneration, delayMillis * 2);
                }
                return;
            }
            probing = true;
            lastProbeMillis = now();
        }
        Publisher<?> check;
        try {
            check = probe.get();
        } catch (RuntimeException e) {
            probeFailed(openGeneration, delayMillis, timed, e);
            return;
        }
        if (check == null) {
            synchronized (this) {
                probing = false;
            }
            return;
        }
        Flux.from(check)
                .take(1)
                .timeout(PROBE_TIMEOUT.compareTo(settings.waitInOpen()) < 0 ? PROBE_TIMEOUT : settings.waitInOpen(), scheduler())
                .hasElements()
                .subscribe(any -> probeSucceeded(openGeneration),
                        error -> probeFailed(openGeneration, delayMillis, timed, error));
    }

    private synchronized void probeSucceeded(long openGeneration) {
        probing = false;
        if (state == State.OPEN && generation == openGeneration) {
            transition(State.CLOSED, null);
        }
    }

    private void probeFailed(long openGeneration, long delayMillis, boolean timed, Throwable error) {
        synchronized (this) {
            probing = false;
            if (state != State.OPEN || generation != openGeneration) {
                return;
            }
            lastFailure = error;
        }
        if (timed) {
            scheduleProbe(openGeneration, delayMillis * 2);
        }
    }

    private Scheduler scheduler() {
        return clock != null ? clock : Schedulers.parallel();
    }

    private void emit(CircuitBreakerEvent.Type type, State previous, Duration elapsed, @Nullable Throwable error) {
        if (events.currentSubscriberCount() == 0) {
            return;
        }
        events.tryEmitNext(new CircuitBreakerEvent(name, type, state, previous, now(), elapsed, windowCount,
                windowFailures, consecutive, error));
    }

    private Duration elapsed(Call call) {
        return Duration.ofMillis(Math.max(0, now() - call.startMillis));
    }

    long now() {
        return scheduler().now(TimeUnit.MILLISECONDS);
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private static String formatMillis(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    @Override
    public String toString() {
        return "CircuitBreaker{" + name + ", " + state() + "}";
    }

    /** One call: permitted (remembering the generation it started in), or refused with {@link #refusal}. */
    static final class Call {
        final long generation;
        final boolean trial;
        final long startMillis;
        final @Nullable CircuitBreakerOpenException refusal;

        Call(long generation, boolean trial, long startMillis) {
            this.generation = generation;
            this.trial = trial;
            this.startMillis = startMillis;
            this.refusal = null;
        }

        Call(CircuitBreakerOpenException refusal) {
            this.generation = -1;
            this.trial = false;
            this.startMillis = 0;
            this.refusal = refusal;
        }
    }
}
