package dev.tributary.core;

import dev.tributary.core.TransactionHooks.Step;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The transactions across databases of one registry: creates global transactions, keeps this node's lease in the
 * decision log alive (a heartbeat every third of the lease), knows which transactions this process is still
 * running (recovery leaves those alone), checks once per database that it can prepare, retries failed commits in
 * the background, and runs {@link Recovery}.
 */
final class TransactionManager {

    private static final System.Logger LOG = System.getLogger(TransactionManager.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long an ABORT record is kept, so that a presumed-dead owner coming back cannot log COMMIT after it. */
    static final long ABORT_RETENTION_MILLIS = Duration.ofDays(1).toMillis();

    private final Databases databases;
    private final TransactionSettings settings;
    private final TransactionHooks hooks;
    private final @Nullable LongSupplier clock;
    private final DecisionLog log;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Set<String> finishing = ConcurrentHashMap.newKeySet();
    private final Set<String> canPrepare = ConcurrentHashMap.newKeySet();
    private final Map<String, Mono<Void>> stepTables = new ConcurrentHashMap<>();
    private final Mono<Void> ready;
    private volatile @Nullable Disposable heartbeat;

    TransactionManager(Databases databases, TransactionSettings settings, TransactionHooks hooks,
            @Nullable LongSupplier clock) {
        this.databases = databases;
        this.settings = settings;
        this.hooks = hooks;
        this.clock = clock;
        this.log = new DecisionLog(database(settings.logDatabase()).writer(), settings.tablePrefix());
        PooledDatabase logDb = database(settings.logDatabase()).writer();
        Mono<Void> durable = logDb.dialect() != Dialect.H2 ? Mono.empty()
                : logDb.withConnection(c -> BranchSql.checkH2Durable(c, logDb.name())).then();
        this.ready = durable.then(log.createTables()).then(Mono.defer(this::renewLease))
                .cache(v -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ZERO, () -> Duration.ofMillis(Long.MAX_VALUE));
    }

    /** Starts the heartbeat and, if the settings say so, recovery; both in the background. */
    void start() {
        Duration period = settings.leaseDuration().dividedBy(3);
        heartbeat = Flux.interval(period, period)
                .concatMap(tick -> ready.then(Mono.defer(this::renewLease)).onErrorResume(error -> {
                    LOG.log(System.Logger.Level.WARNING, "renewing the lease of node " + settings.nodeId()
                            + " in the decision log failed: " + error);
                    return Mono.empty();
                }))
                .subscribe();
        if (settings.recoverOnStart()) {
            recover().subscribe(report -> {
                if (!report.unreachable().isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "recovery at start could not reach " + report.unreachable()
                            + "; call Databases.recover() again once they are up");
                }
            }, error -> LOG.log(System.Logger.Level.WARNING, "recovery at start failed: " + error));
        }
    }

    /** Stops the heartbeat and gives up the lease, so that other instances may resolve what is left at once. */
    Mono<Void> close() {
        return Mono.defer(() -> {
            Disposable beat = heartbeat;
            if (beat != null) {
                beat.dispose();
            }
            return log.renewLease(settings.nodeId(), 0).timeout(Duration.ofSeconds(2)).onErrorResume(error -> Mono.empty());
        });
    }

    /** Wall-clock milliseconds for leases and log records (instances compare them), or the test's clock. */
    long now() {
        return clock != null ? clock.getAsLong() : System.currentTimeMillis();
    }

    /** Milliseconds of the parallel scheduler, for timeouts (virtual time in tests). */
    static long schedulerNow() {
        return Schedulers.parallel().now(java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    String nodeId() {
        return settings.nodeId();
    }

    TransactionSettings settings() {
        return settings;
    }

    DecisionLog log() {
        return log;
    }

    Instrumentation instrumentation() {
        return databases.instrumentation();
    }

        TransactionHooks hooks() {
        return hooks;
    }

    /** The log tables exist and this node's lease is written; retried on each subscription after a failure. */
    Mono<Void> ready() {
        return ready;
    }

    private Mono<Void> renewLease() {
        return log.renewLease(settings.nodeId(), now() + settings.leaseDuration().toMillis());
    }

    ManagedDatabase database(String name) {
        return (ManagedDatabase) databases.get(name);
    }

    List<ManagedDatabase> all() {
        List<ManagedDatabase> list = new java.util.ArrayList<>();
        for (String name : databases.names()) {
            list.add(database(name));
        }
        return list;
    }

    <T> Flux<T> inTransaction(TransactionOptions options, Function<GlobalSession, ? extends Publisher<T>> work) {
        return Flux.defer(() -> {
            String gid = BranchSql.PREFIX + settings.nodeId() + "." + String.format("%016x", RANDOM.nextLong());
            active.add(gid);
            return new GlobalTransaction(this, options, gid).run(work);
        });
    }

    /** The transaction {@code gid} is over in this process (or left to recovery). */
    void ended(String gid) {
        active.remove(gid);
    }

    boolean isActive(String gid) {
        return active.contains(gid) || finishing.contains(gid);
    }

    /**
     * What must hold before a database opens its branch: in two-phase mode, that it can prepare (checked on a
     * pooled connection the first time, remembered once it passed).
     */
    Mono<Void> checkParticipant(PooledDatabase db, TransactionOptions.Mode mode) {
        if (mode != TransactionOptions.Mode.TWO_PHASE || canPrepare.contains(db.name())) {
            return Mono.empty();
        }
        return db.withConnection(c -> BranchSql.checkPrepare(c, db.dialect(), db.name()))
                .then(Mono.fromRunnable(() -> canPrepare.add(db.name())));
    }

    /**
     * Commits, by name from fresh connections, the branches whose commit failed after the decision: a few tries
     * with backoff, in the background. The log record goes once all are committed; otherwise recovery finishes.
     */
    void finishLater(String gid, List<Participant> pending) {
        finishing.add(gid);
        Flux.fromIterable(pending)
                .flatMap(p -> Mono.defer(() -> hooks.at(Step.FINISH, gid, p.database)
                                .then(p.db.withConnection(c -> BranchSql.commitByName(c, p.dialect(), p.branch)).then())
                                .onErrorResume(BranchSql::isUnknownBranch, done -> Mono.empty())
                                .then(gone(p)))
                        .retryWhen(Retry.backoff(3, Duration.ofMillis(100))))
                .then(Mono.defer(() -> log.forget(gid)))
                .doFinally(signal -> finishing.remove(gid))
                .subscribe(v -> { }, error -> LOG.log(System.Logger.Level.WARNING, "transaction " + gid
                        + " is committed but some databases did not confirm; Databases.recover() finishes it: " + error));
    }

    /**
     * Completes if {@code p}'s branch is no longer in doubt. MariaDB answers "unknown XID" for a prepared branch
     * still attached to a closing connection, so "does not exist" alone is not proof that it is done.
     */
    private Mono<Void> gone(Participant p) {
        return p.db.withConnection(c -> BranchSql.inDoubt(c, p.dialect()))
                .filter(p.branch::equals)
                .hasElements()
                .flatMap(left -> left ? Mono.error(new TributaryException("branch " + p.branch + " is still in doubt"))
                        : Mono.empty());
    }

    private String stepTable() {
        return settings.tablePrefix() + "_step";
    }

    /** Inserts the marker of {@code p}'s step into its own local transaction (the table is created when missing). */
    Mono<Void> markStep(Participant p, String gid) {
        Mono<Void> table = stepTables.computeIfAbsent(p.db.name(), name -> p.db.withConnection(c -> Statements.update(c,
                        p.dialect(), "CREATE TABLE IF NOT EXISTS " + stepTable() + " (gid VARCHAR(64) NOT NULL,"
                                + " step INT NOT NULL, PRIMARY KEY (gid, step))", new Object[0]))
                .then()
                .cache(v -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ZERO, () -> Duration.ofMillis(Long.MAX_VALUE)));
        Dialect d = p.dialect();
        return table.then(p.connection().flatMap(c -> Statements.update(c, d, "INSERT INTO " + stepTable()
                + " (gid, step) VALUES (" + d.bindMarker(0) + ", " + d.bindMarker(1) + ")", new Object[] {gid, p.index})))
                .then();
    }

    /** Deletes the markers of a saga that committed whole, in the background (left-over markers are harmless). */
    void unmarkLater(List<Participant> writers, String gid) {
        Flux.fromIterable(writers)
                .filter(p -> !p.compensations().isEmpty())
                .flatMap(p -> p.db.withConnection(c -> Statements.update(c, p.dialect(), "DELETE FROM " + stepTable()
                        + " WHERE gid = " + p.dialect().bindMarker(0), new Object[] {gid})))
                .subscribe(v -> { }, error -> { });
    }

    /**
     * Runs the compensations of one committed step in one local transaction on {@code db}, which also deletes the
     * step's marker. Emits false (and runs nothing) when there is no marker: the step never committed, or was
     * compensated already.
     */
    Mono<Boolean> compensate(PooledDatabase db, String gid, int step,
            List<Function<Session, ? extends Publisher<?>>> compensations) {
        Dialect d = db.dialect();
        return db.inTransaction(s -> s.update("DELETE FROM " + stepTable() + " WHERE gid = " + d.bindMarker(0)
                        + " AND step = " + d.bindMarker(1), gid, step)
                        .flatMap(n -> n == 0 ? Mono.just(false)
                                : Flux.fromIterable(compensations).concatMap(c -> Flux.from(c.apply(s)).then())
                                        .then(Mono.just(true))))
                .single();
    }

    /** Runs recovery once. */
    Mono<RecoveryReport> recover() {
        return new Recovery(this).run();
    }
}
