package dev.tributary.core;

import dev.tributary.core.resilience.CircuitBreakerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import reactor.core.Exceptions;

/**
 * The registry's {@link TributaryListener}s as one: each event goes to each listener in order of registration; what
 * a listener throws is caught, the first failure of each listener logged as a warning and later ones at debug level.
 */
final class Listeners implements TributaryListener {

    private static final System.Logger LOG = System.getLogger(TributaryListener.class.getName());

    static final Listeners NONE = new Listeners(List.of());

    private final List<TributaryListener> listeners;
    private final List<AtomicBoolean> failed;

    Listeners(List<TributaryListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.failed = this.listeners.stream().map(l -> new AtomicBoolean()).toList();
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    private void each(String event, Consumer<TributaryListener> call) {
        for (int i = 0; i < listeners.size(); i++) {
            try {
                call.accept(listeners.get(i));
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                boolean first = failed.get(i).compareAndSet(false, true);
                LOG.log(first ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "TributaryListener " + listeners.get(i) + " failed on " + event + "; the event's call goes on"
                                + (first ? " (later failures of this listener are logged at debug level)" : ""), e);
            }
        }
    }

    @Override
    public void connectionCreated(String database) {
        each("connectionCreated", l -> l.connectionCreated(database));
    }

    @Override
    public void connectionAcquired(String database) {
        each("connectionAcquired", l -> l.connectionAcquired(database));
    }

    @Override
    public void connectionReleased(String database) {
        each("connectionReleased", l -> l.connectionReleased(database));
    }

    @Override
    public void connectionClosed(String database) {
        each("connectionClosed", l -> l.connectionClosed(database));
    }

    @Override
    public void queryStarted(QueryEvent query) {
        each("queryStarted", l -> l.queryStarted(query));
    }

    @Override
    public void queryFinished(QueryEvent query, Duration duration, long rows) {
        each("queryFinished", l -> l.queryFinished(query, duration, rows));
    }

    @Override
    public void queryFailed(QueryEvent query, Duration duration, Throwable error) {
        each("queryFailed", l -> l.queryFailed(query, duration, error));
    }

    @Override
    public void breakerTransition(CircuitBreakerEvent event) {
        each("breakerTransition", l -> l.breakerTransition(event));
    }

    @Override
    public void transactionBegin(TransactionEvent transaction) {
        each("transactionBegin", l -> l.transactionBegin(transaction));
    }

    @Override
    public void transactionPrepare(TransactionEvent transaction) {
        each("transactionPrepare", l -> l.transactionPrepare(transaction));
    }

    @Override
    public void transactionCommit(TransactionEvent transaction) {
        each("transactionCommit", l -> l.transactionCommit(transaction));
    }

    @Override
    public void transactionRollback(TransactionEvent transaction) {
        each("transactionRollback", l -> l.transactionRollback(transaction));
    }
}
