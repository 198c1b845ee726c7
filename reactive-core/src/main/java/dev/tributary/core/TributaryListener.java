package dev.tributary.core;

import dev.tributary.core.resilience.CircuitBreakerEvent;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/**
 * Lifecycle hooks of a {@link Databases} registry: connections, SQL calls, circuit breaker transitions and
 * transactions. Register with {@link Databases.Builder#listener}; in Spring Boot every bean of this type is registered.
 * Every method has a no-op default, so a listener implements only what it needs.
 *
 * <p><b>Threads.</b> Methods are called synchronously, on the thread that carries the signal, which is usually a
 * driver's event loop: they must be quick and must never block (no JDBC, no blocking I/O, no {@code block()}). Hand
 * anything slower to {@link #async(TributaryListener, Scheduler)}, which calls the listener on a worker of a scheduler
 * instead, in order.
 *
 * <p><b>Failures.</b> An exception a listener throws never reaches the query: it is caught, the first one of each
 * listener is logged (as a warning, with its stack trace, through {@code System.Logger}) and later ones only at
 * debug level.
 *
 * <p>Calls inside a transaction ({@code Session}) are not reported one by one; the transaction is (begin, prepare,
 * commit, rollback).
 */
public interface TributaryListener {

    /** A new connection to {@code database} was opened by its pool. */
    default void connectionCreated(String database) {
    }

    /** A connection of {@code database} was borrowed from its pool for a call or a transaction. */
    default void connectionAcquired(String database) {
    }

    /** A borrowed connection of {@code database} was given back to its pool. */
    default void connectionReleased(String database) {
    }

    /** A connection of {@code database} was closed: idle or too old, found dead, invalidated, or the pool closed. */
    default void connectionClosed(String database) {
    }

    /** A call was subscribed to, before its connection is borrowed. */
    default void queryStarted(QueryEvent query) {
    }

    /**
     * A call completed, or was cancelled by its subscriber after {@code rows} rows.
     *
     * @param rows the rows emitted by a query or fragment; the rows updated by an update or a batch
     */
    default void queryFinished(QueryEvent query, Duration duration, long rows) {
    }

    /** A call failed with {@code error}, as its subscriber sees it (after retries). */
    default void queryFailed(QueryEvent query, Duration duration, Throwable error) {
    }

    /**
     * A database's circuit breaker changed state ({@link CircuitBreakerEvent.Type#STATE_TRANSITION} or
     * {@link CircuitBreakerEvent.Type#RESET}).
     */
    default void breakerTransition(CircuitBreakerEvent event) {
    }

    /** A transaction began: the first connection is borrowed. */
    default void transactionBegin(TransactionEvent transaction) {
    }

    /** One database of a two-phase transaction is about to prepare. */
    default void transactionPrepare(TransactionEvent transaction) {
    }

    /** A transaction committed (across databases: every participant confirmed the commit). */
    default void transactionCommit(TransactionEvent transaction) {
    }

    /** A transaction rolled back, after an error, a cancel or a failed commit. */
    default void transactionRollback(TransactionEvent transaction) {
    }

    /**
     * {@code listener}, called on one worker of {@code scheduler} (so in the order of the events) instead of the
     * signal's thread: for listeners that do slow or blocking work, such as
     * {@code TributaryListener.async(auditor, Schedulers.boundedElastic())}. Events queue on the worker while the
     * listener is slow.
     */
    static TributaryListener async(TributaryListener listener, Scheduler scheduler) {
        Objects.requireNonNull(listener, "listener");
        return new AsyncListener(new Listeners(java.util.List.of(listener)),
                Objects.requireNonNull(scheduler, "scheduler").createWorker());
    }
}
