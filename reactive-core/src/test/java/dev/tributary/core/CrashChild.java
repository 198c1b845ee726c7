package dev.tributary.core;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The process {@link CrashRecoveryTest} kills with SIGKILL. {@code run}: concurrent transfers between accounts in
 * PostgreSQL, MariaDB and an H2 file database, printing {@code DONE <id>} after each one completed. A step name
 * ({@code BEFORE_DECISION}, {@code AFTER_DECISION}, {@code COMMIT}): one transfer over the three databases whose
 * protocol stops at that step (for {@code COMMIT}: MariaDB's commit, after the others'), printing
 * {@code MARKER <gid>} there and never going on.
 */
public final class CrashChild {

    static final String NODE = "crash";
    static final String PREFIX = "tx_crash";
    static final List<String> DBS = List.of(TxFixture.PG, TxFixture.MARIA, TxFixture.H2);
    static final int ACCOUNTS = 10;

    private CrashChild() {
    }

    static Databases.Builder registry(String h2File, TransactionHooks hooks) {
        return Databases.builder()
                .database(TxFixture.PG, TxFixture.PG_URL, PoolSettings.builder().maxSize(8).build())
                .database(TxFixture.MARIA, TxFixture.MARIA_URL, PoolSettings.builder().maxSize(8).build())
                .database(TxFixture.H2, "r2dbc:h2:file:///" + h2File + "?options=WRITE_DELAY=0", PoolSettings.builder().maxSize(8).build())
                .transactions(TransactionSettings.builder().logDatabase(TxFixture.PG).nodeId(NODE).tablePrefix(PREFIX)
                        .recoverOnStart(false).build())
                .transactionHooks(hooks);
    }

    /** Moves {@code amount} from account {@code from} of the first database to account {@code to} of the last,
     *  recording the transfer id in the journal of every database it touches. */
    static Mono<Void> transfer(Databases dbs, String id, List<String> databases, int from, int to, long amount) {
        return dbs.inTransaction(tx -> Flux.fromIterable(databases).concatMap(db -> {
            Session s = tx.on(db);
            Dialect d = s.dialect();
            Mono<Long> debit = db.equals(databases.get(0))
                    ? s.update("UPDATE tx_crash_acct SET balance = balance - " + d.bindMarker(0) + " WHERE id = "
                            + d.bindMarker(1), amount, from)
                    : Mono.just(0L);
            Mono<Long> credit = db.equals(databases.get(databases.size() - 1))
                    ? s.update("UPDATE tx_crash_acct SET balance = balance + " + d.bindMarker(0) + " WHERE id = "
                            + d.bindMarker(1), amount, to)
                    : Mono.just(0L);
            Mono<Long> move = debit.then(credit);
            return move.then(s.update("INSERT INTO tx_crash_journal (id) VALUES (" + d.bindMarker(0) + ")", id));
        })).then();
    }

    /** The marker transfer as a saga: each step registers the compensation that undoes it. */
    static Mono<Void> saga(Databases dbs) {
        return dbs.inTransaction(TransactionOptions.builder().mode(TransactionOptions.Mode.BEST_EFFORT).build(),
                tx -> Flux.fromIterable(DBS).concatMap(db -> {
                    Session s = tx.on(db);
                    Dialect d = s.dialect();
                    int id = db.equals(TxFixture.PG) ? 1 : 2;
                    long amount = db.equals(TxFixture.PG) ? -7 : db.equals(TxFixture.H2) ? 7 : 0;
                    return s.update("UPDATE tx_crash_acct SET balance = balance + " + d.bindMarker(0) + " WHERE id = "
                                    + d.bindMarker(1), amount, id)
                            .then(s.update("INSERT INTO tx_crash_journal (id) VALUES ('marker')"))
                            .then(s.compensateWith("UPDATE tx_crash_acct SET balance = balance - " + d.bindMarker(0)
                                    + " WHERE id = " + d.bindMarker(1), amount, id))
                            .then(s.compensateWith("DELETE FROM tx_crash_journal WHERE id = 'marker'"));
                })).then();
    }

    public static void main(String[] args) {
        String mode = args[0];
        String h2File = args[1];
        TransactionHooks hooks = (step, gid, db) -> {
            boolean stop = step.name().equals(mode) && (step != TransactionHooks.Step.COMMIT
                    && step != TransactionHooks.Step.SAGA_COMMIT || TxFixture.MARIA.equals(db));
            if (!stop) {
                return Mono.empty();
            }
            return Mono.fromRunnable(() -> {
                System.out.println("MARKER " + gid);
                System.out.flush();
            }).then(Mono.never());
        };
        Databases dbs = registry(h2File, hooks).build();
        if (mode.equals("SAGA_COMMIT")) {
            saga(dbs).block();
            return;
        }
        if (!mode.equals("run")) {
            transfer(dbs, "marker", DBS, 1, 2, 7).block();
            return;
        }
        System.out.println("STARTED");
        System.out.flush();
        Flux.range(0, Integer.MAX_VALUE)
                .flatMap(i -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    String a = DBS.get(r.nextInt(3));
                    String b = DBS.get(r.nextInt(3));
                    List<String> pair = a.equals(b) ? List.of(a) : List.of(a, b);
                    String id = "t" + i + "." + String.join(".", pair);
                    return transfer(dbs, id, pair, 1 + r.nextInt(ACCOUNTS), 1 + r.nextInt(ACCOUNTS), 1 + r.nextInt(20))
                            .doOnSuccess(v -> {
                                System.out.println("DONE " + id);
                                System.out.flush();
                            })
                            .onErrorResume(error -> Mono.empty());
                }, 4)
                .blockLast();
    }
}
