package dev.tributary.core;

import dev.tributary.core.TransactionHooks.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One run of recovery. Lists the in-doubt branches with Tributary's prefix in every registered database that can
 * prepare (the primary of a replicated one), then resolves each one this instance may resolve: not a transaction
 * this process is still running, and owned by this node or by a node whose lease has expired. A COMMIT record
 * commits it; an ABORT record, or none (presumed abort: ABORT is claimed first, so a late COMMIT by the owner
 * fails on the key), rolls it back. "Does not exist" counts as done, so two instances may run recovery at once.
 * Then the SAGA records of such owners get their compensations run, and records with nothing left are deleted.
 */
final class Recovery {

    private final TransactionManager manager;
    private final DecisionLog log;
    private final List<String> found = Collections.synchronizedList(new ArrayList<>());
    private final List<String> committed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> rolledBack = Collections.synchronizedList(new ArrayList<>());
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
    private final List<String> compensated = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    /** Global transaction ids that still have a branch somewhere (or might, behind an unreachable database). */
    private final Set<String> remaining = ConcurrentHashMap.newKeySet();

    Recovery(TransactionManager manager) {
        this.manager = manager;
        this.log = manager.log();
    }

    Mono<RecoveryReport> run() {
        return manager.ready()
                .then(Mono.zip(log.leases(), log.entries().collectList()))
                .flatMap(t -> {
                    Map<String, Long> leases = t.getT1();
                    long now = manager.now();
                    return Flux.fromIterable(participants())
                            .flatMap(db -> resolveAll(db, leases, now))
                            .then(sagas(t.getT2(), leases, now))
                            .then(cleanup(t.getT2(), leases, now));
                })
                .onErrorResume(error -> {
                    unreachable.put(log.database(), String.valueOf(error));
                    return Mono.empty();
                })
                .then(Mono.fromSupplier(() -> new RecoveryReport(found, committed, rolledBack, skipped, compensated,
                        new LinkedHashMap<>(unreachable))));
    }

    /** Every database that can prepare, each pool once. */
    private List<PooledDatabase> participants() {
        Map<PooledDatabase, Boolean> seen = new IdentityHashMap<>();
        List<PooledDatabase> list = new ArrayList<>();
        for (ManagedDatabase db : manager.all()) {
            PooledDatabase writer = db.writer();
            if (BranchSql.supportsPrepare(writer.dialect()) && seen.put(writer, true) == null) {
                list.add(writer);
            }
        }
        return list;
    }

    private Mono<Void> resolveAll(PooledDatabase db, Map<String, Long> leases, long now) {
        return db.withConnection(c -> BranchSql.inDoubt(c, db.dialect()))
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(branch -> resolve(db, branch, leases, now))
                .then(Mono.defer(() -> stillInDoubt(db)))
                .onErrorResume(error -> {
                    unreachable.put(db.name(), String.valueOf(error));
                    return Mono.empty();
                });
    }

    /**
     * Lists the branches again: one still there after it was resolved is held by a live session (MariaDB answers
     * "unknown XID" for a prepared branch attached to another connection); its transaction keeps its record.
     */
    private Mono<Void> stillInDoubt(PooledDatabase db) {
        return db.withConnection(c -> BranchSql.inDoubt(c, db.dialect()))
                .filter(branch -> !skipped.contains(db.name() + ":" + branch))
                .doOnNext(branch -> {
                    String label = db.name() + ":" + branch;
                    committed.remove(label);
                    rolledBack.remove(label);
                    remaining.add(branch.substring(0, branch.lastIndexOf('.')));
                    unreachable.merge(db.name(), branch + " is still in doubt: another session holds it",
                            (a, b) -> a + "; " + b);
                })
                .then();
    }

    private Mono<Void> resolve(PooledDatabase db, String branch, Map<String, Long> leases, long now) {
        String label = db.name() + ":" + branch;
        found.add(label);
        String gid = branch.substring(0, branch.lastIndexOf('.'));
        String node = gid.substring(BranchSql.PREFIX.length(), gid.lastIndexOf('.'));
        if (manager.isActive(gid) || !mayResolve(node, leases, now)) {
            skipped.add(label);
            remaining.add(gid);
            return Mono.empty();
        }
        return manager.hooks().at(Step.RECOVERY, gid, db.name())
                .then(log.state(gid).defaultIfEmpty(""))
                .flatMap(state -> state.isEmpty()
                        ? log.claim(gid, node, DecisionLog.ABORT, "", manager.now())
                        : Mono.just(state))
                .flatMap(state -> {
                    boolean commit = DecisionLog.COMMIT.equals(state);
                    Mono<Void> end = db.withConnection(c -> commit
                            ? BranchSql.commitByName(c, db.dialect(), branch)
                            : BranchSql.rollbackByName(c, db.dialect(), branch)).then();
                    // a branch gone by now was ended by its owner or another recoverer: not counted as ours
                    return end.then(Mono.<Void>fromRunnable(() -> (commit ? committed : rolledBack).add(label)))
                            .onErrorResume(BranchSql::isUnknownBranch, gone -> Mono.empty());
                })
                .onErrorResume(error -> {
                    remaining.add(gid);
                    unreachable.merge(db.name(), branch + ": " + error, (a, b) -> a + "; " + b);
                    return Mono.empty();
                });
    }

    private boolean mayResolve(String node, Map<String, Long> leases, long now) {
        // A node without a lease in this log belongs to another log (another registry, table prefix or log
        // database sharing these participants): never ours to resolve, whatever the state of its transactions.
        // Every node writes its lease before its first prepare, so a node of this log always has one.
        Long lease = leases.get(node);
        return node.equals(manager.nodeId()) || (lease != null && lease <= now);
    }

    /** Runs the pending compensations of the sagas of dead owners (or of this node), last step first. */
    private Mono<Void> sagas(List<DecisionLog.Entry> entries, Map<String, Long> leases, long now) {
        return Flux.fromIterable(entries)
                .filter(e -> DecisionLog.SAGA.equals(e.state()) && !manager.isActive(e.gid())
                        && mayResolve(e.node(), leases, now))
                .concatMap(e -> log.compensations(e.gid()).collectList().flatMap(list -> compensate(e.gid(), list)))
                .then();
    }

    private Mono<Void> compensate(String gid, List<DecisionLog.Compensation> list) {
        Map<Integer, List<DecisionLog.Compensation>> bySteps = new LinkedHashMap<>();
        for (DecisionLog.Compensation c : list) {
            bySteps.computeIfAbsent(c.step(), step -> new ArrayList<>()).add(c);
        }
        boolean[] failed = new boolean[1];
        return Flux.fromIterable(bySteps.values())
                .concatMap(step -> {
                    String name = step.get(0).database();
                    List<Function<Session, ? extends Publisher<?>>> works = new ArrayList<>();
                    for (DecisionLog.Compensation c : step) {
                        works.add(s -> s.update(c.sql(), c.binds()));
                    }
                    return Mono.defer(() -> manager.hooks().at(Step.RECOVERY, gid, name)
                                    .then(manager.compensate(manager.database(name).writer(), gid, step.get(0).step(), works)))
                            .doOnNext(ran -> {
                                if (ran) {
                                    compensated.add(name + ":" + gid);
                                }
                            })
                            .then()
                            .onErrorResume(error -> {
                                failed[0] = true;
                                unreachable.merge(name, gid + " compensation: " + error, (a, b) -> a + "; " + b);
                                return Mono.empty();
                            });
                })
                .then(Mono.defer(() -> failed[0] ? Mono.empty() : log.forget(gid)));
    }

    /**
     * Deletes the COMMIT records whose branches are all gone (only when every database was reached) and ABORT
     * records past their retention, for owners this instance may resolve.
     */
    private Mono<Void> cleanup(List<DecisionLog.Entry> entries, Map<String, Long> leases, long now) {
        return Flux.fromIterable(entries)
                .filter(e -> unreachable.isEmpty() && DecisionLog.COMMIT.equals(e.state()) && !remaining.contains(e.gid())
                        && !manager.isActive(e.gid()) && mayResolve(e.node(), leases, now))
                .concatMap(e -> log.forget(e.gid()))
                .then(log.pruneAborts(now - TransactionManager.ABORT_RETENTION_MILLIS));
    }
}
