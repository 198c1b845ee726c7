package dev.tributary.core;

import dev.tributary.core.health.HealthCheck;
import dev.tributary.core.health.HealthReport;
import dev.tributary.core.health.HealthSettings;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.Resilience;
import dev.tributary.core.resilience.ResilienceSettings;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.pool.PoolMetricsRecorder;

/**
 * A {@link Database} over an r2dbc-pool {@link ConnectionPool}.
 *
 * <p>Every call borrows a connection through {@link #withConnection}: returned to the pool when the call
 * completes or fails with a driver error. When the subscriber cancels before the end, the query reads on
 * for at most {@link #DRAIN_ROWS} rows and {@link #DRAIN_TIME}; if it ends within that, the connection is
 * returned, otherwise it is <em>invalidated</em>: the driver connection is closed and the pooled wrapper
 * released, which the pool then destroys instead of handing out again. A connection returned with the rest
 * of a cancelled result unread makes the next query on it wait until the driver has read it all
 * (measured in {@code reactive-core/CANCEL.md}). A cancelled transaction is always invalidated.
 *
 * <p>Reads and writes outside a transaction, and each transaction as a whole, run under the database's
 * {@link Resilience} guards (circuit breaker, retries before the first row, timeouts; see
 * {@link ResilienceSettings}). A call cut short by a timeout is cancelled, so its connection is drained
 * briefly or invalidated. While the breaker is open it probes the database with the health validation.
 *
 * <p>Dead pooled connections are replaced, not reported ({@link LiveConnections} on borrow,
 * {@link #replacingDead} for a read whose connection turns out dead before its first row), so a restart of the
 * database, or its killing every session, costs the callers nothing once it accepts connections again.
 */
final class PooledDatabase extends ConnectionOperations implements ManagedDatabase {

    /** What happens to a connection whose call was cancelled before it ended. */
    enum CancelPolicy {
        /** Read on for at most {@link #DRAIN_ROWS} rows and {@link #DRAIN_TIME}; if the statement ended, release, else invalidate (the default). */
        DRAIN_THEN_INVALIDATE,
        /** Close the driver connection at once; the pool drops it. */
        INVALIDATE,
        /** Return it to the pool as it is (kept to measure the hazard; see CANCEL.md). */
        RELEASE
    }

    /** How many more rows a cancelled query may read, discarded, to end cleanly. */
    static final long DRAIN_ROWS = 256;
    /** How long a cancelled query may take to end cleanly. */
    static final Duration DRAIN_TIME = Duration.ofMillis(100);

    /** How long {@link #close()} waits for the connections in use before it disposes of the pool anyway. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    private static final Duration CLOSE_POLL = Duration.ofMillis(5);

    private final String name;
    private final ConnectionPool pool;
    private final CancelPolicy cancelPolicy;
    private final Set<Connection> invalidated = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private final Resilience resilience;
    private final HealthSettings healthSettings;
    private final LiveConnections live;
    private final AtomicInteger returning = new AtomicInteger();
    private volatile boolean closed;
    private volatile Instrumentation instrumentation = Instrumentation.NONE;
    private volatile @Nullable Disposable breakerEvents;

    private PooledDatabase(String name, Dialect dialect, ConnectionPool pool, CancelPolicy cancelPolicy,
            ResilienceSettings resilience, HealthSettings healthSettings, LiveConnections live) {
        super(dialect);
        this.name = name;
        this.pool = pool;
        this.cancelPolicy = cancelPolicy;
        this.healthSettings = healthSettings;
        this.live = live;
        this.resilience = Resilience.of(name, resilience, this::probe);
    }

    /** A database pooling {@code factory} with {@code settings}; a factory that is a pool already is used as it is. */
    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings) {
        return create(name, factory, settings, CancelPolicy.DRAIN_THEN_INVALIDATE);
    }

    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings, CancelPolicy policy) {
        return create(name, factory, settings, policy, ResilienceSettings.defaults(), HealthSettings.defaults());
    }

    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings, CancelPolicy policy,
            ResilienceSettings resilience, HealthSettings health) {
        return create(name, factory, settings, policy, resilience, health, Instrumentation.NONE);
    }

    /** As above, reporting to {@code instrumentation} (the pool's connection events only when there are listeners). */
    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings, CancelPolicy policy,
            ResilienceSettings resilience, HealthSettings health, Instrumentation instrumentation) {
        PooledDatabase db = pooled(name, factory, settings, policy, resilience, health,
                instrumentation.listeners.isEmpty() ? null : new PoolEvents(instrumentation.listeners, name));
        db.instrument(instrumentation);
        return db;
    }

    private static PooledDatabase pooled(String name, ConnectionFactory factory, PoolSettings settings,
            CancelPolicy policy, ResilienceSettings resilience, HealthSettings health, @Nullable PoolEvents events) {
        Dialect dialect = Dialect.fromDriverName(factory.getMetadata().getName());
        if (factory instanceof ConnectionPool existing) {
            return new PooledDatabase(name, dialect, existing, policy, resilience, health,
                    new LiveConnections(name, settings, false));
        }
        LiveConnections live = new LiveConnections(name, settings, true);
        PooledDatabase[] self = new PooledDatabase[1];
        ConnectionPool pool = new ConnectionPool(configuration(name, live.trackCreation(factory), settings,
                connection -> self[0].beforeRelease(connection, settings.preRelease()), events));
        self[0] = new PooledDatabase(name, dialect, pool, policy, resilience, health, live);
        return self[0];
    }

    private static ConnectionPoolConfiguration configuration(String name, ConnectionFactory factory, PoolSettings s,
            Function<Connection, Publisher<Void>> preRelease, @Nullable PoolMetricsRecorder events) {
        ConnectionPoolConfiguration.Builder b = ConnectionPoolConfiguration.builder(factory)
                .name(name)
                .initialSize(s.initialSize())
                .maxSize(s.maxSize())
                .minIdle(s.minIdle())
                .maxIdleTime(s.maxIdleTime())
                .maxLifeTime(s.maxLifeTime())
                .maxAcquireTime(s.maxAcquireTime())
                .maxCreateConnectionTime(s.maxCreateConnectionTime())
                .maxValidationTime(s.maxValidationTime())
                .acquireRetry(s.acquireRetry())
                .preRelease(preRelease);
        if (events != null) {
            b.metricsRecorder(events);
        }
        if (s.validationQuery() != null) {
            b.validationQuery(s.validationQuery());
        }
        if (s.postAllocate() != null) {
            b.postAllocate(oncePerConnection(s.postAllocate()));
        }
        return b.build();
    }

    /** r2dbc-pool runs postAllocate on every acquire; the settings promise once per new connection. */
    private static Function<Connection, Publisher<Void>> oncePerConnection(
            Function<? super Connection, ? extends Publisher<Void>> hook) {
        Set<Connection> prepared = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
        return connection -> {
            Connection raw = unwrap(connection);
            if (prepared.contains(raw)) {
                return Mono.empty();
            }
            return Mono.from(hook.apply(connection)).doOnSuccess(v -> prepared.add(raw));
        };
    }

    /** The pool's preRelease: fails for an invalidated connection, which makes the pool destroy it. */
    private Publisher<Void> beforeRelease(Connection connection,
            @Nullable Function<? super Connection, ? extends Publisher<Void>> userHook) {
        if (invalidated.remove(unwrap(connection))) {
            return Mono.error(new IllegalStateException("connection invalidated after a cancelled call"));
        }
        live.returned(connection);
        return userHook == null ? Mono.empty() : userHook.apply(connection);
    }

    @Override
    public String name() {
        return name;
    }

    /** Reports this database's calls, connections, breaker transitions and transactions to {@code instrumentation}. */
    private void instrument(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
        CircuitBreaker breaker = resilience.circuitBreaker();
        if (breaker != null && !instrumentation.listeners.isEmpty()) {
            breakerEvents = breaker.events()
                    .filter(e -> e.type() == dev.tributary.core.resilience.CircuitBreakerEvent.Type.STATE_TRANSITION
                            || e.type() == dev.tributary.core.resilience.CircuitBreakerEvent.Type.RESET)
                    .subscribe(instrumentation.listeners::breakerTransition);
        }
    }

    Instrumentation instrumentation() {
        return instrumentation;
    }

    @Override
    <T> Flux<T> observed(QueryKind kind, String sql, Flux<T> call, java.util.function.ToLongFunction<? super T> rows) {
        return instrumentation.call(name, kind, sql, call, rows);
    }

    /**
     * The one path every SQL call of this database takes (a transaction's calls run inside
     * {@link #transaction}): borrow a connection, run {@code work} on it, give it back. Completion and driver
     * errors release it; a cancel first drains briefly ({@link FluxDrainOnCancel}) and invalidates the
     * connection unless the statement ended within that budget.
     */
    @Override
    <T> Flux<T> withConnection(Function<Connection, ? extends Publisher<T>> work) {
        return Flux.usingWhen(acquire().map(Lease::new),
                lease -> cancelPolicy == CancelPolicy.DRAIN_THEN_INVALIDATE
                        ? new FluxDrainOnCancel<>(Flux.from(work.apply(lease.connection)), DRAIN_ROWS, DRAIN_TIME, lease.drained)
                        : work.apply(lease.connection),
                lease -> release(lease.connection),
                (lease, error) -> afterError(lease.connection, error),
                this::afterCancel);
    }

    /** A driver error leaves the connection usable, unless it says the connection is gone. */
    private Mono<Void> afterError(Connection connection, Throwable error) {
        if (!(error instanceof R2dbcException) || LiveConnections.isConnectionLost(error)) {
            if (live.reused(connection) && LiveConnections.isConnectionLost(error)) {
                live.suspectAllReturned(); // it died idle in the pool: so may have the others
            }
            return invalidate(connection);
        }
        return release(connection);
    }

    /** Reads replace a dead connection (see {@link #replacingDead}). */
    @Override
    Flux<Row> rows(String sql, Object[] binds) {
        return guardRead(replacingDead(connection -> Statements.rows(connection, dialect(), sql, binds), 0));
    }

    /**
     * As {@link #withConnection}, for a read: when the first statement fails before any row with an error saying
     * the connection is gone ({@link LiveConnections#isConnectionLost}: closed, terminated by the server), the
     * connection is invalidated and the read runs again on another, at most {@code maxSize + 1} times. A read that
     * may have run has no effect, so running it again is safe; writes are never run again. Neither the caller nor
     * the circuit breaker sees the dead connection; if the database itself is down, opening the next connection
     * fails, and that failure is what they see.
     */
    private <T> Flux<T> replacingDead(Function<Connection, ? extends Publisher<T>> work, int replaced) {
        return Flux.defer(() -> {
            ReadAttempt attempt = new ReadAttempt();
            return withConnection(connection -> Flux.from(work.apply(connection)).doOnNext(attempt::row))
                    .onErrorResume(error -> !attempt.rows && LiveConnections.isConnectionLost(error)
                    && replaced < live.maxReplaced() && !closed
                    ? replacingDead(work, replaced + 1) : Flux.error(error));
        });
    }

    /** Whether a read attempt saw a row. */
    static final class ReadAttempt {

        boolean rows;

        void row(Object ignored) {
            if (!rows) {
                rows = true;
            }
        }
    }

    /** A borrowed connection and, once its call was cancelled, whether draining left it clean. */
    private static final class Lease {

        final Connection connection;
        final Sinks.One<Boolean> drained = Sinks.one();

        Lease(Connection connection) {
            this.connection = connection;
        }
    }

    private Mono<Void> afterCancel(Lease lease) {
        return switch (cancelPolicy) {
            case RELEASE -> release(lease.connection);
            case INVALIDATE -> invalidate(lease.connection);
            case DRAIN_THEN_INVALIDATE -> lease.drained.asMono()
                    .flatMap(clean -> clean ? release(lease.connection) : invalidate(lease.connection));
        };
    }

    @Override
    public <T> Flux<T> inTransaction(Function<Session, ? extends Publisher<T>> work) {
        Objects.requireNonNull(work, "work");
        return transaction(null, work);
    }

    @Override
    public <T> Flux<T> inTransaction(IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work) {
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(work, "work");
        return transaction(isolation, work);
    }

    @Override
    <T> Flux<T> guardRead(Flux<T> read) {
        return resilience.query(read);
    }

    @Override
    <T> Flux<T> guardWrite(Flux<T> write) {
        return resilience.write(write);
    }

    @Override
    public @Nullable CircuitBreaker circuitBreaker() {
        return resilience.circuitBreaker();
    }

    /** Runs the validation query on a pooled connection, around the breaker and the retries. */
    @Override
    public Mono<HealthReport> health() {
        return HealthCheck.check(name, healthSettings, validation(), this::poolMetrics, resilience.circuitBreaker(), null);
    }

    private Flux<Row> validation() {
        return replacingDead(connection ->
                Statements.rows(connection, dialect(), healthSettings.validationQuery(), new Object[0]), 0);
    }

    /** The breaker's probe while open: the health validation, unguarded; none once the registry is closed. */
    private @Nullable Publisher<?> probe() {
        return closed ? null : validation().timeout(healthSettings.validationTimeout());
    }

    private <T> Flux<T> transaction(@Nullable IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work) {
        return instrumentation.transaction(name, resilience.transaction(transactionUnguarded(isolation, work)));
    }

    private <T> Flux<T> transactionUnguarded(@Nullable IsolationLevel isolation,
            Function<Session, ? extends Publisher<T>> work) {
        Listeners listeners = instrumentation.listeners;
        TransactionEvent event = new TransactionEvent(null, name);
        return Flux.usingWhen(acquire().map(connection -> new TransactionSession(dialect(), connection))
                        .doOnNext(session -> listeners.transactionBegin(event)),
                session -> session.run(isolation, work),
                session -> session.end().then(commitAndRelease(session.connection()))
                        .doOnSuccess(v -> listeners.transactionCommit(event))
                        .doOnError(error -> listeners.transactionRollback(event)),
                (session, error) -> session.end().then(rollbackAndRelease(session.connection()))
                        .doOnTerminate(() -> listeners.transactionRollback(event)),
                session -> session.end().then(invalidate(session.connection()))
                        .doOnTerminate(() -> listeners.transactionRollback(event)));
    }

    private Mono<Void> commitAndRelease(Connection connection) {
        return Mono.from(connection.commitTransaction())
                .onErrorResume(error -> rollbackAndRelease(connection).then(Mono.error(error)))
                .then(release(connection));
    }

    private Mono<Void> rollbackAndRelease(Connection connection) {
        return Mono.from(connection.rollbackTransaction())
                .then(release(connection))
                .onErrorResume(error -> invalidate(connection));
    }

    @Override
    public PooledDatabase writer() {
        return this;
    }

    /** A connection of this pool for a transaction across databases; give it back with {@link #release} or {@link #invalidate}. */
    Mono<Connection> acquireConnection() {
        return acquire();
    }

    private Mono<Connection> acquire() {
        Mono<Connection> acquire = Mono.defer(() -> closed ? Mono.error(closedError())
                : live.acquire(pool.create(), this::invalidate));
        Listeners listeners = instrumentation.listeners;
        return listeners.isEmpty() ? acquire : acquire.doOnNext(connection -> listeners.connectionAcquired(name));
    }

    Mono<Void> release(Connection connection) {
        Mono<Void> release = returning(Mono.defer(() -> Mono.from(connection.close())));
        Listeners listeners = instrumentation.listeners;
        return listeners.isEmpty() ? release : release.doOnSuccess(v -> listeners.connectionReleased(name));
    }

    /**
     * Closes the driver connection under the pooled one, then releases the pooled one; the pool's
     * preRelease sees the mark and the pool destroys the connection rather than reuse it.
     */
    Mono<Void> invalidate(Connection connection) {
        Connection raw = unwrap(connection);
        return returning(Mono.defer(() -> {
            invalidated.add(raw);
            return Mono.from(raw.close());
        }).onErrorResume(error -> Mono.empty())
                .then(release(connection).onErrorResume(error -> Mono.empty())));
    }

    /**
     * Counts {@code giveBack} as a connection on its way back until the pool has taken it: the pool's acquired
     * count drops when the release starts, before it has recycled the connection (a release after a cancel is not
     * awaited by anyone), and a pool disposed in between returns that connection's permit twice.
     */
    private Mono<Void> returning(Mono<Void> giveBack) {
        return Mono.defer(() -> {
            returning.incrementAndGet();
            return giveBack.doFinally(signal -> returning.decrementAndGet());
        });
    }

    private static Connection unwrap(Connection connection) {
        return LiveConnections.unwrap(connection);
    }

    @Override
    public PoolMetrics poolMetrics() {
        return pool.getMetrics()
                .map(m -> new PoolMetrics(m.allocatedSize(), m.acquiredSize(), m.idleSize(), m.pendingAcquireSize(),
                        m.getMaxAllocatedSize(), m.getMaxPendingAcquireSize()))
                .orElseGet(() -> new PoolMetrics(0, 0, 0, 0, 0, 0));
    }

    @Override
    public Mono<Integer> warmup() {
        return Mono.defer(() -> closed ? Mono.error(closedError()) : pool.warmup());
    }

    /**
     * Refuses new calls at once, waits up to {@value #CLOSE_GRACE_MILLIS} ms for the connections in use to be
     * returned, then disposes of the pool.
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            closed = true;
            Disposable events = breakerEvents;
            if (events != null) {
                events.dispose();
            }
            return connectionsReturned().then(pool.disposeLater());
        });
    }

    // reactor-pool returns a connection's permit a second time ("Too many permits returned") when the pool is
    // disposed before that connection is back: while a query is still streaming, or from inside the release of
    // the last connection, where a usingWhen(..., Databases::close) lands once the last query completes (its
    // acquired count is already down there, the recycling not yet done). So the pool is disposed from a timer,
    // after the releasing call has returned, once nothing is acquired.
    private Mono<Void> connectionsReturned() {
        return Flux.interval(CLOSE_POLL, CLOSE_POLL)
                .filter(tick -> poolMetrics().acquired() == 0 && returning.get() == 0)
                .next()
                .then()
                .timeout(Duration.ofMillis(CLOSE_GRACE_MILLIS), Mono.empty());
    }

    private RegistryClosedException closedError() {
        return new RegistryClosedException("Database '" + name + "' belongs to a closed Databases registry;"
                + " build a new registry to run queries again");
    }

    @Override
    public String toString() {
        return "Database[" + name + ", " + dialect() + "]";
    }
}
