package dev.tributary.core;

import dev.tributary.core.TransactionHooks.Step;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The commit of a best-effort transaction (a saga). Readers commit first. The writers then commit one after another,
 * in order of first use. When some writer registered compensations and there are two or more writers, before the
 * first commit: each such writer inserts a marker row ({@code <prefix>_step}: gid, step) in its own local
 * transaction, and the compensations are written to the decision log (a SAGA record). A marker commits with its
 * step, so recovery knows exactly which steps committed. When a commit fails, the writers not committed yet roll
 * back and each committed step's compensations run, last step first, in one local transaction on its database that
 * also deletes the step's marker (0 rows deleted: someone else compensated it; nothing runs).
 */
final class BestEffortCommit {

    private final GlobalTransaction tx;
    private final TransactionManager manager;
    private final List<Participant> all;
    private final List<Participant> writers = new ArrayList<>();
    private final List<Participant> readers = new ArrayList<>();

    BestEffortCommit(GlobalTransaction tx, List<Participant> all) {
        this.tx = tx;
        this.manager = tx.manager;
        this.all = all;
        for (Participant p : all) {
            (p.writer() ? writers : readers).add(p);
        }
    }

    Mono<Void> run() {
        Mono<Void> releaseReaders = Flux.fromIterable(readers).concatMap(Participant::commitOnePhase).then()
                .onErrorResume(this::abort);
        if (writers.size() <= 1) {
            return releaseReaders.then(Flux.fromIterable(writers).concatMap(Participant::commitOnePhase).then());
        }
        List<Participant> compensable = new ArrayList<>();
        List<DecisionLog.Compensation> recorded = new ArrayList<>();
        int seq = 0;
        for (Participant p : writers) {
            List<Participant.Compensation> list = p.compensations();
            if (!list.isEmpty()) {
                compensable.add(p);
            }
            for (Participant.Compensation c : list) {
                if (c.work() == null) {
                    recorded.add(new DecisionLog.Compensation(seq, p.index, p.database, c.sql(), c.binds()));
                }
                seq++;
            }
        }
        Mono<Void> record = compensable.isEmpty() ? Mono.empty()
                : manager.ready()
                        .then(Flux.fromIterable(compensable).concatMap(p -> manager.markStep(p, tx.gid)).then())
                        .then(Mono.defer(() -> manager.log().recordSaga(tx.gid, manager.nodeId(),
                                TwoPhaseCommit.names(writers), manager.now(), recorded)));
        return releaseReaders
                .then(record)
                .then(Mono.defer(() -> tx.cancelled() ? Mono.error(new TributaryException("Transaction " + tx.gid
                        + " was cancelled before its first commit; every database was rolled back")) : Mono.empty()))
                .onErrorResume(error -> abort(error).onErrorResume(e -> compensable.isEmpty() ? Mono.error(e)
                        : manager.log().forget(tx.gid).onErrorResume(ignored -> Mono.empty()).then(Mono.error(e))))
                .then(Mono.defer(() -> commitInTurn(0, compensable.isEmpty())));
    }

    private Mono<Void> commitInTurn(int i, boolean unrecorded) {
        if (i == writers.size()) {
            return unrecorded ? Mono.empty() : manager.log().forget(tx.gid).onErrorResume(error -> Mono.empty())
                    .then(Mono.fromRunnable(() -> manager.unmarkLater(writers, tx.gid)));
        }
        Participant p = writers.get(i);
        return manager.hooks().at(Step.SAGA_COMMIT, tx.gid, p.database)
                .then(p.commitOnePhase())
                .onErrorResume(error -> compensate(i, error))
                .then(Mono.defer(() -> commitInTurn(i + 1, unrecorded)));
    }

    /** Writer {@code failed} did not commit: roll back the rest, compensate the committed ones, last first. */
    private Mono<Void> compensate(int failed, Throwable cause) {
        if (failed == 0) {
            return GlobalTransaction.rollbackAll(writers, false)
                    .then(manager.log().forget(tx.gid).onErrorResume(error -> Mono.empty()))
                    .then(Mono.error(cause));
        }
        List<Participant> committed = new ArrayList<>(writers.subList(0, failed));
        java.util.Collections.reverse(committed);
        List<String> done = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        return GlobalTransaction.rollbackAll(writers.subList(failed, writers.size()), false)
                .then(Flux.fromIterable(committed)
                        .filter(p -> !p.compensations().isEmpty())
                        .concatMap(p -> manager.compensate(p.db, tx.gid, p.index, inProcess(p))
                                .doOnSuccess(ran -> {
                                    if (ran) {
                                        done.add(p.database);
                                    }
                                })
                                .onErrorResume(error -> {
                                    pending.add(p.database);
                                    return Mono.empty();
                                }))
                        .then())
                .then(Mono.defer(() -> pending.isEmpty()
                        ? manager.log().forget(tx.gid).onErrorResume(error -> Mono.empty()) : Mono.empty()))
                .then(Mono.defer(() -> Mono.error(pending.isEmpty()
                        ? new TransactionOutcomeException(TransactionOutcomeException.Outcome.COMPENSATED, tx.gid,
                                List.of(), done, "Transaction " + tx.gid + " did not commit on '"
                                + writers.get(failed).database + "'; the steps committed before it were compensated "
                                + done + " and the others rolled back", cause)
                        : new TransactionOutcomeException(TransactionOutcomeException.Outcome.COMPENSATION_PENDING,
                                tx.gid, pending, done, "Transaction " + tx.gid + " did not commit on '"
                                + writers.get(failed).database + "'; compensated " + done + ", but the compensations of "
                                + pending + " failed: they stay in the decision log and Databases.recover() runs them"
                                + " again", cause))));
    }

    /** The compensations of {@code p} as work on a session, in reverse order of registration. */
    private static List<java.util.function.Function<Session, ? extends org.reactivestreams.Publisher<?>>> inProcess(
            Participant p) {
        List<java.util.function.Function<Session, ? extends org.reactivestreams.Publisher<?>>> list = new ArrayList<>();
        for (Participant.Compensation c : p.compensations()) {
            list.add(0, c.work() != null ? c.work() : s -> s.update(c.sql(), c.binds()));
        }
        return list;
    }

    private Mono<Void> abort(Throwable error) {
        return GlobalTransaction.rollbackAll(all, false).then(Mono.error(error));
    }
}
