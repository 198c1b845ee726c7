package dev.tributary.core;

import dev.tributary.core.resilience.CircuitBreakerEvent;
import java.time.Duration;
import reactor.core.scheduler.Scheduler;

/** {@link TributaryListener#async}: every event handed to one worker, which calls the listener in order. */
record AsyncListener(TributaryListener listener, Scheduler.Worker worker) implements TributaryListener {

    private void later(Runnable call) {
        worker.schedule(call);
    }

    @Override
    public void connectionCreated(String database) {
        later(() -> listener.connectionCreated(database));
    }

    @Override
    public void connectionAcquired(String database) {
        later(() -> listener.connectionAcquired(database));
    }

    @Override
    public void connectionReleased(String database) {
        later(() -> listener.connectionReleased(database));
    }

    @Override
    public void connectionClosed(String database) {
        later(() -> listener.connectionClosed(database));
    }

    @Override
    public void queryStarted(QueryEvent query) {
        later(() -> listener.queryStarted(query));
    }

    @Override
    public void queryFinished(QueryEvent query, Duration duration, long rows) {
        later(() -> listener.queryFinished(query, duration, rows));
    }

    @Override
    public void queryFailed(QueryEvent query, Duration duration, Throwable error) {
        later(() -> listener.queryFailed(query, duration, error));
    }

    @Override
    public void breakerTransition(CircuitBreakerEvent event) {
        later(() -> listener.breakerTransition(event));
    }

    @Override
    public void transactionBegin(TransactionEvent transaction) {
        later(() -> listener.transactionBegin(transaction));
    }

    @Override
    public void transactionPrepare(TransactionEvent transaction) {
        later(() -> listener.transactionPrepare(transaction));
    }

    @Override
    public void transactionCommit(TransactionEvent transaction) {
        later(() -> listener.transactionCommit(transaction));
    }

    @Override
    public void transactionRollback(TransactionEvent transaction) {
        later(() -> listener.transactionRollback(transaction));
    }

    @Override
    public String toString() {
        return "async(" + listener + ")";
    }
}
