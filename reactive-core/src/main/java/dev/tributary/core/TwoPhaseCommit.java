package dev.tributary.core;

import dev.tributary.core.TransactionHooks.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The commit of a two-phase transaction, once its work completed. Readers commit in one phase first (their
 * branches hold nothing to keep). No writer: done. One writer: it commits in one phase, no log. Two or more: all
 * prepare concurrently; the COMMIT decision is written to the log (its own local transaction, with a check of this
 * node's lease); then all commit concurrently and the record is deleted. Any failure before the decision rolls
 * every branch back (prepared ones with ROLLBACK PREPARED / XA ROLLBACK). After the decision nothing rolls back: a
 * branch whose commit fails keeps its prepared state, its connection is closed (never returned to the pool
 * mid-branch), and the commit is retried in the background by name, else by {@link Databases#recover()}.
 */
final class TwoPhaseCommit {

    private final GlobalTransaction tx;
    private final TransactionManager manager;
    private final List<Participant> all;
    private final List<Participant> writers = new ArrayList<>();
    private final List<Participant> readers = new ArrayList<>();

    TwoPhaseCommit(GlobalTransaction tx, List<Participant> all) {
        this.tx = tx;
        this.manager = tx.manager;
        this.all = all;
        for (Participant p : all) {
            (p.writer() ? writers : readers).add(p);
        }
    }

    Mono<Void> run() {
        Mono<Void> releaseReaders = Flux.fromIterable(readers).concatMap(Participant::commitOnePhase).then();
        if (writers.isEmpty()) {
            return releaseReaders.onErrorResume(this::abort);
        }
        if (writers.size() == 1) {
            return releaseReaders.onErrorResume(this::abort).then(Mono.defer(() -> writers.get(0).commitOnePhase()));
        }
        Mono<Void> beforeDecision = releaseReaders
                .then(hook(Step.BEFORE_PREPARE, null))
                .then(manager.ready())
                .then(Flux.fromIterable(writers)
                        // every prepare runs to its end (none is cancelled by another's failure), then the first error
                        .flatMapDelayError(p -> hook(Step.PREPARE, p.database).then(p.prepare()), writers.size(), 1)
                        .then())
                .then(Mono.defer(this::checkStillWanted))
                .then(hook(Step.BEFORE_DECISION, null));
        return beforeDecision
                .onErrorResume(this::abort)
                .then(Mono.defer(this::decide))
                .flatMap(commit -> commit ? phaseTwo() : abort(new TributaryException("Transaction " + tx.gid
                        + " was rolled back: recovery on another instance decided ABORT before this one could log"
                        + " its COMMIT (its lease had expired)")));
    }

    private Mono<Void> checkStillWanted() {
        if (tx.cancelled()) {
            return Mono.error(new TributaryException("Transaction " + tx.gid + " was cancelled before its commit"
                    + " decision; every database was rolled back"));
        }
        if (TransactionManager.schedulerNow() >= tx.deadline) {
            return Mono.error(new TransactionTimeoutException(tx.gid, tx.options.timeout()));
        }
        return Mono.empty();
    }

    /**
     * Writes the decision; emits true when COMMIT stands. If the write failed, reads back what stands, and claims
     * ABORT if nothing does. If even that fails the outcome is unknown: the branches stay prepared for recovery.
     */
    private Mono<Boolean> decide() {
        long now = manager.now();
        DecisionLog log = manager.log();
        return log.decideCommit(tx.gid, manager.nodeId(), names(writers), now)
                .thenReturn(true)
                .onErrorResume(failed -> log.claim(tx.gid, manager.nodeId(), DecisionLog.ABORT, names(writers), now)
                        .map(DecisionLog.COMMIT::equals)
                        .onErrorResume(unknown -> Flux.fromIterable(writers).flatMap(Participant::abandon)
                                .then(Mono.error(new TransactionOutcomeException(
                                        TransactionOutcomeException.Outcome.IN_DOUBT, tx.gid, databases(writers),
                                        List.of(), "Transaction " + tx.gid + " is in doubt: its commit decision could"
                                        + " not be written to or read from the log database '" + log.database()
                                        + "'. The prepared databases " + databases(writers) + " keep their locks until"
                                        + " Databases.recover() resolves them from the log", unknown)))));
    }

    private Mono<Void> phaseTwo() {
        Map<Participant, Throwable> failed = new ConcurrentHashMap<>();
        Mono<Void> commits = Flux.fromIterable(writers)
                .flatMap(p -> hook(Step.COMMIT, p.database)
                        .then(p.commitPrepared())
                        .onErrorResume(error -> {
                            if (!BranchSql.isUnknownBranch(error)) {
                                // "does not exist" after the decision: recovery elsewhere committed it already
                                failed.put(p, error);
                            }
                            return p.abandon();
                        }))
                .then();
        return hook(Step.AFTER_DECISION, null)
                .then(commits)
                .onErrorResume(error -> {
                    for (Participant p : writers) {
                        failed.putIfAbsent(p, error);
                    }
                    return Flux.fromIterable(writers).flatMap(Participant::abandon).then();
                })
                .then(Mono.defer(() -> {
                    if (failed.isEmpty()) {
                        return manager.log().forget(tx.gid).onErrorResume(error -> Mono.empty());
                    }
                    List<Participant> pending = new ArrayList<>();
                    for (Participant p : writers) {
                        if (failed.containsKey(p)) {
                            pending.add(p);
                        }
                    }
                    manager.finishLater(tx.gid, pending);
                    return Mono.error(new TransactionOutcomeException(
                            TransactionOutcomeException.Outcome.COMMITTED_PENDING_RECOVERY, tx.gid, databases(pending),
                            List.of(), "Transaction " + tx.gid + " is committed (its decision is in the log) but "
                            + databases(pending) + " did not confirm the commit; it is retried in the background and"
                            + " by Databases.recover(). Do not run the work again", failed.get(pending.get(0))));
                }));
    }

    private Mono<Void> abort(Throwable error) {
        return GlobalTransaction.rollbackAll(all, false).then(Mono.error(error));
    }

    private Mono<Void> hook(Step step, @Nullable String database) {
        return manager.hooks().at(step, tx.gid, database);
    }

    static String names(List<Participant> ps) {
        return String.join(",", databases(ps));
    }

    static List<String> databases(List<Participant> ps) {
        List<String> names = new ArrayList<>();
        for (Participant p : ps) {
            names.add(p.database);
        }
        return names;
    }
}
