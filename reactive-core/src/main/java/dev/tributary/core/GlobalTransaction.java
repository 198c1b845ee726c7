package dev.tributary.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One transaction across databases: the {@link GlobalSession} handed to the work, its participants in order of
 * first use, and its end. {@link #run} is the whole life: the work, then on completion the commit protocol
 * ({@link TwoPhaseCommit} or {@link BestEffortCommit}), on error or cancel a rollback of every participant. The
 * commit protocol runs detached from the subscriber: a cancel during it only asks for a rollback, honoured as long
 * as the decision is not written.
 */
final class GlobalTransaction implements GlobalSession {

    final TransactionManager manager;
    final TransactionOptions options;
    final String gid;
    /** When the timeout ends, on the parallel scheduler's clock; Long.MAX_VALUE without a timeout. */
    final long deadline;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private boolean open = true;
    private volatile boolean protocolStarted;
    private volatile boolean cancelled;

    GlobalTransaction(TransactionManager manager, TransactionOptions options, String gid) {
        this.manager = manager;
        this.options = options;
        this.gid = gid;
        this.deadline = options.timeout() == null ? Long.MAX_VALUE
                : TransactionManager.schedulerNow() + options.timeout().toMillis();
    }

    @Override
    public Session on(String database) {
        Objects.requireNonNull(database, "database");
        ManagedDatabase target = manager.database(database);
        synchronized (this) {
            if (!open) {
                throw new IllegalStateException("Transaction " + gid + " has ended; call on(database) only inside"
                        + " the publisher returned to Databases.inTransaction");
            }
            Participant p = participants.get(target.name());
            if (p == null) {
                boolean twoPhase = options.mode() == TransactionOptions.Mode.TWO_PHASE;
                PooledDatabase writer = target.writer();
                p = new Participant(participants.size(), target.name(), writer, gid + "." + participants.size(),
                        twoPhase && writer.dialect() == Dialect.MARIADB);
                participants.put(target.name(), p);
                p.open(manager.checkParticipant(writer, options.mode()), options.isolation());
            }
            return p.session();
        }
    }

    /** No more participants; the ones there are, in order of first use. */
    private List<Participant> close() {
        synchronized (this) {
            open = false;
            return new ArrayList<>(participants.values());
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    /** The work, then the commit protocol; on error or cancel every participant rolls back. */
    <T> Flux<T> run(Function<GlobalSession, ? extends Publisher<T>> work) {
        Instrumentation instrumentation = manager.instrumentation();
        Listeners listeners = instrumentation.listeners;
        TransactionEvent event = new TransactionEvent(gid, null);
        return instrumentation.transaction("global", Flux.usingWhen(Mono.fromSupplier(() -> {
                    listeners.transactionBegin(event);
                    return this;
                }),
                tx -> body(work),
                tx -> commit().doOnSuccess(v -> listeners.transactionCommit(event))
                        .doOnError(error -> {
                            if (!(error instanceof TransactionOutcomeException)) {
                                listeners.transactionRollback(event);
                            }
                        }),
                (tx, error) -> rollback(false).doOnTerminate(() -> listeners.transactionRollback(event)),
                tx -> {
                    boolean rollsBack = !protocolStarted; // after the protocol started, a cancel only asks for a rollback
                    return cancel().doOnTerminate(() -> {
                        if (rollsBack) {
                            listeners.transactionRollback(event);
                        }
                    });
                })
                .onErrorMap(GlobalTransaction::isCleanupWrapper, Throwable::getCause));
    }

    /** usingWhen wraps an error of the commit in "Async resource cleanup failed after onComplete". */
    private static boolean isCleanupWrapper(Throwable error) {
        return error.getClass() == RuntimeException.class && error.getCause() != null
                && String.valueOf(error.getMessage()).startsWith("Async resource cleanup failed");
    }

    private <T> Flux<T> body(Function<GlobalSession, ? extends Publisher<T>> work) {
        Flux<T> body = Flux.defer(() -> work.apply(this));
        if (options.timeout() == null) {
            return body;
        }
        boolean[] late = new boolean[1];
        return body.takeUntilOther(Mono.delay(options.timeout()).doOnNext(tick -> late[0] = true))
                .concatWith(Mono.defer(() -> late[0]
                        ? Mono.error(new TransactionTimeoutException(gid, options.timeout()))
                        : Mono.empty()));
    }

    /**
     * Runs the commit protocol detached: it always finishes, whatever the subscriber does. The returned Mono
     * signals its outcome; cancelling it asks for a rollback, which the protocol honours before its decision.
     */
    private Mono<Void> commit() {
        protocolStarted = true;
        Sinks.One<Void> outcome = Sinks.one();
        List<Participant> all = close();
        Mono<Void> protocol = Flux.fromIterable(all).concatMap(Participant::opened).then(Mono.defer(() -> {
            for (Participant p : all) {
                if (!p.isOpen()) {
                    return rollbackAll(all, false).then(p.openResult());
                }
            }
            return options.mode() == TransactionOptions.Mode.TWO_PHASE
                    ? new TwoPhaseCommit(this, all).run()
                    : new BestEffortCommit(this, all).run();
        }));
        protocol.doFinally(signal -> manager.ended(gid))
                .subscribe(v -> { }, outcome::tryEmitError, outcome::tryEmitEmpty);
        return outcome.asMono().doOnCancel(() -> cancelled = true);
    }

    private Mono<Void> cancel() {
        cancelled = true;
        return protocolStarted ? Mono.empty() : rollback(true);
    }

    private Mono<Void> rollback(boolean cancel) {
        return rollbackAll(close(), cancel).doFinally(signal -> manager.ended(gid));
    }

    /** Rolls every participant back and returns (or closes) every connection; never signals an error. */
    static Mono<Void> rollbackAll(List<Participant> all, boolean cancel) {
        return Flux.fromIterable(all)
                .flatMap(p -> p.rollback(cancel).onErrorResume(error -> Mono.empty()))
                .then();
    }

    @Override
    public String toString() {
        return "GlobalTransaction[" + gid + ", " + options.mode() + "]";
    }
}
