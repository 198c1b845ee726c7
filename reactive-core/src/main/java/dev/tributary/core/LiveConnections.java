package dev.tributary.core;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps dead pooled connections away from callers, as HikariCP does: a connection is replaced, not reported,
 * when it turns out dead on borrow. Composed around r2dbc-pool's acquire:
 *
 * <ul>
 *   <li>The pool checks each connection it hands out (the driver's local check, or the validation query). A
 *       failure there is a dead pooled connection: the pool has discarded it, and {@link #acquire} asks again.</li>
 *   <li>A connection idle for more than {@link #IDLE_VALIDATION} since it was last returned, or returned before
 *       another connection was found dead, is validated with a round trip
 *       ({@code validate(ValidationDepth.REMOTE)}); a dead one is invalidated and another acquired. A freshly
 *       created connection is never validated again.</li>
 *   <li>Errors of {@linkplain #trackCreation creating} a connection (refused, authentication, ...) are not
 *       replaced: they say the database cannot serve, and reach the caller as a
 *       {@link DatabaseUnavailableException} naming the database (transient ones, such as too many clients, as
 *       they are, so that they may be retried).</li>
 * </ul>
 *
 * A connection found dead marks every connection returned before that instant as suspect (after a restart they
 * are all dead), so each is validated before it is handed out again. Replacing stops after
 * {@code maxSize + 1} dead connections in one acquire (then even new connections fail) and at the acquire's
 * deadline; the last error then reaches the caller.
 */
final class LiveConnections {

    /** A connection idle longer than this is validated with a round trip before it is handed out (HikariCP's bar). */
    static final Duration IDLE_VALIDATION = Duration.ofMillis(500);

    private final String database;
    private final int maxReplaced;
    private final Duration maxAcquireTime;
    private final Duration maxValidationTime;
    private final Map<Connection, Long> returnedAt = Collections.synchronizedMap(new WeakHashMap<>());
    private final Set<Throwable> creationFailures = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private volatile long suspectBefore = Long.MIN_VALUE;
    private final boolean tracksCreation;

    LiveConnections(String database, PoolSettings settings, boolean tracksCreation) {
        this.database = database;
        this.maxReplaced = settings.maxSize() + 1;
        this.maxAcquireTime = settings.maxAcquireTime();
        this.maxValidationTime = settings.maxValidationTime();
        this.tracksCreation = tracksCreation;
    }

    /** {@code factory}, remembering the errors of creating a connection so that they are not taken for dead ones. */
    ConnectionFactory trackCreation(ConnectionFactory factory) {
        return new CreationTracking(factory, creationFailures);
    }

    /**
     * A live connection from {@code create} (the pool's acquire); {@code invalidate} discards a dead one.
     *
     * @return the connection; or the last error once {@code maxSize + 1} dead connections were replaced or
     *     {@code maxAcquireTime} passed; a failure to create a connection as {@link DatabaseUnavailableException}
     */
    Mono<Connection> acquire(Mono<Connection> create, Function<Connection, Mono<Void>> invalidate) {
        return Mono.defer(() -> attempt(create, invalidate, 0, now() + maxAcquireTime.toMillis()));
    }

    private Mono<Connection> attempt(Mono<Connection> create, Function<Connection, Mono<Void>> invalidate, int replaced,
            long deadline) {
        return create
                .onErrorMap(this::creationFailed, this::unavailable)
                .onErrorMap(error -> tracksCreation && isConnectionLost(error), Dead::new) // the pool's check failed
                .flatMap(connection -> check(connection, invalidate))
                .onErrorResume(Dead.class, dead -> {
                    suspectAllReturned();
                    if (replaced + 1 >= maxReplaced || now() >= deadline) {
                        return Mono.error(dead.getCause());
                    }
                    return attempt(create, invalidate, replaced + 1, deadline);
                });
    }

    /** The connection, or {@link Dead} after invalidating it when it fails a round trip it had to make. */
    private Mono<Connection> check(Connection connection, Function<Connection, Mono<Void>> invalidate) {
        Long returned = returnedAt.get(unwrap(connection));
        if (returned == null || (now() - returned <= IDLE_VALIDATION.toMillis() && returned >= suspectBefore)) {
            return Mono.just(connection); // new, or busy and above suspicion
        }
        Mono<Connection> validated = Mono.from(connection.validate(ValidationDepth.REMOTE))
                .timeout(maxValidationTime)
                .defaultIfEmpty(false)
                .onErrorResume(error -> Mono.just(false))
                .flatMap(alive -> alive ? Mono.just(connection)
                        : invalidate.apply(connection).then(Mono.error(new Dead(new R2dbcNonTransientResourceException(
                                "Database '" + database + "': a pooled connection failed validation")))));
        AtomicBoolean handedOut = new AtomicBoolean();
        // cancelled while validating: nobody holds the connection, so close it (it may be half-checked)
        return validated.doOnNext(c -> handedOut.set(true))
                .doOnCancel(() -> {
                    if (!handedOut.get()) {
                        invalidate.apply(connection).subscribe();
                    }
                });
    }

    /** How many dead connections one call may replace: more than the pool can hold. */
    int maxReplaced() {
        return maxReplaced;
    }

    /** Called as a connection goes back to the pool. */
    void returned(Connection connection) {
        returnedAt.put(unwrap(connection), now());
    }

    /** Whether {@code connection} was used before: a dead connection found on it is the pool's, not the database's. */
    boolean reused(Connection connection) {
        return returnedAt.containsKey(unwrap(connection));
    }

    /** Every connection returned until now is validated with a round trip before it is handed out again. */
    void suspectAllReturned() {
        suspectBefore = now() + 1;
    }

    private boolean creationFailed(Throwable error) {
        return creationFailures.contains(error) && !(error instanceof R2dbcTransientException);
    }

    private DatabaseUnavailableException unavailable(Throwable error) {
        return new DatabaseUnavailableException(database, "Database '" + database + "' is unavailable: a new"
                + " connection could not be opened (" + error.getClass().getName() + ": " + error.getMessage()
                + "). Check that the server runs and accepts this URL and its credentials; calls recover by"
                + " themselves once it does", error);
    }

    /**
     * Whether {@code error} says the connection itself is gone: a resource error, an I/O error, or SQLSTATE class
     * 08 (connection exception) or 57P (the server terminated the session), in the error or its causes. Not a
     * timeout: a slow database is not a dead connection.
     */
    static boolean isConnectionLost(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.r2dbc.spi.R2dbcTimeoutException
                    || t instanceof DatabaseUnavailableException) {
                return false;
            }
            if (t instanceof R2dbcNonTransientResourceException || t instanceof IOException) {
                return true;
            }
            if (t instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null
                    && (r2dbc.getSqlState().startsWith("08") || r2dbc.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    static Connection unwrap(Connection connection) {
        Connection c = connection;
        while (c instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection inner && inner != c) {
            c = inner;
        }
        return c;
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    }

    /** A dead pooled connection, replaced rather than reported; its cause is what showed it dead. */
    static final class Dead extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Dead(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Remembers each error of creating a connection. */
    private record CreationTracking(ConnectionFactory delegate, Set<Throwable> failures)
            implements ConnectionFactory, Wrapped<ConnectionFactory> {

        @Override
        public Publisher<? extends Connection> create() {
            return Mono.<Connection>from(delegate.create()).doOnError(failures::add);
        }

        @Override
        public ConnectionFactoryMetadata getMetadata() {
            return delegate.getMetadata();
        }

        @Override
        public ConnectionFactory unwrap() {
            return delegate;
        }
    }

    @Override
    public String toString() {
        return "LiveConnections[" + database + "]";
    }

}
