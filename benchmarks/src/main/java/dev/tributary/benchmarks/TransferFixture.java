package dev.tributary.benchmarks;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.RecoveryReport;
import dev.tributary.core.Row;
import dev.tributary.core.TransactionSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the transfer benchmarks run against: an account table {@code bench_tx_account(id, balance)} with
 * {@code accounts} rows in PostgreSQL ({@code pg}) and in MariaDB ({@code maria}), and one Tributary registry over
 * both with transactions across databases enabled (decision log in PostgreSQL, tables {@code bench_tx_log},
 * {@code bench_tx_node}, {@code bench_tx_compensation}; saga markers in {@code bench_tx_step}; node id
 * {@value #NODE}). {@link #close()} checks what a broken transaction manager would leave behind: money created or
 * lost, branches still prepared, decision-log records, connections not returned.
 */
final class TransferFixture implements AutoCloseable {

    static final String PG = "pg";
    static final String MARIA = "maria";
    static final String TABLE = "bench_tx_account";
    static final String LOG_PREFIX = "bench_tx";
    static final String NODE = "bench_tx";
    static final long OPENING_BALANCE = 1_000_000;
    /** Pool size of each database: a two-phase transfer holds one connection per database plus one for the log. */
    static final int POOL_SIZE = 24;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The prefix of this node's branch ids ({@code tb.<node>.<hex>.<index>}, see reactive-core's BranchSql). */
    private static final String BRANCH_PREFIX = "tb." + NODE + ".";

    final int accounts;
    final Databases databases;
    final Database pg;
    final Database maria;
    /** {@code UPDATE ... SET balance = balance + ? WHERE id = ?} in each database's bind syntax. */
    final String addPg;
    final String addMaria;
    private final long totalBefore;

    private TransferFixture(int accounts) {
        this.accounts = accounts;
        PoolSettings pool = PoolSettings.builder().initialSize(2).maxSize(POOL_SIZE).build();
        this.databases = Databases.builder()
                .database(PG, Env.pgR2dbcUrl(), pool)
                .database(MARIA, Env.mariadbR2dbcUrl(), pool)
                .transactions(TransactionSettings.builder().logDatabase(PG).nodeId(NODE).tablePrefix(LOG_PREFIX)
                        .recoverOnStart(false).build())
                .build();
        this.pg = databases.get(PG);
        this.maria = databases.get(MARIA);
        this.addPg = add(pg);
        this.addMaria = add(maria);
        databases.warmup().block(TIMEOUT);
        load(pg, "INSERT INTO " + TABLE + " (id, balance) SELECT g, " + OPENING_BALANCE + " FROM generate_series(1, "
                + accounts + ") g");
        load(maria, "INSERT INTO " + TABLE + " (id, balance) SELECT seq, " + OPENING_BALANCE + " FROM seq_1_to_"
                + accounts);
        recoverLeftovers();
        this.totalBefore = total();
    }

    static TransferFixture open(int accounts) {
        if (accounts < 2) {
            throw new IllegalArgumentException("accounts must be at least 2, was " + accounts);
        }
        return new TransferFixture(accounts);
    }

    private static String add(Database db) {
        return "UPDATE " + TABLE + " SET balance = balance + " + db.dialect().bindMarker(0) + " WHERE id = "
                + db.dialect().bindMarker(1);
    }

    /** Creates the table when missing and (re)fills it unless it holds exactly the accounts wanted. */
    private void load(Database db, String fill) {
        db.update("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT NOT NULL PRIMARY KEY, balance BIGINT NOT NULL)")
                .then(db.query("SELECT COUNT(*), MIN(id), MAX(id) FROM " + TABLE).single())
                .flatMap(r -> number(r) == accounts && r.get(1) != null
                        && ((Number) r.get(1)).intValue() == 1 && ((Number) r.get(2)).intValue() == accounts
                        ? Mono.<Long>empty()
                        : db.update("DELETE FROM " + TABLE).then(db.update(fill)))
                .block(TIMEOUT);
    }

    /**
     * A branch of this node left prepared by a run that was killed holds its rows' locks: resolve it first.
     * Recovery runs only then, since it also resolves the branches of nodes unknown to this log.
     */
    private void recoverLeftovers() {
        if (!inDoubt().isEmpty()) {
            RecoveryReport report = databases.recover().block(TIMEOUT);
            System.out.println("bench_tx: resolved branches left by an earlier run: " + report);
        }
    }

    /** A random transfer: an amount of 1 to 100 from one account to another (either may be any of them). */
    Transfer next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new Transfer(1 + random.nextInt(accounts), 1 + random.nextInt(accounts), 1 + random.nextInt(100));
    }

    /** The money in both tables. */
    long total() {
        return sum(pg) + sum(maria);
    }

    private static long sum(Database db) {
        return db.query("SELECT SUM(balance) FROM " + TABLE).single().map(TransferFixture::number).block(TIMEOUT);
    }

    /** This node's branches still prepared in either database. */
    List<String> inDoubt() {
        List<String> branches = new ArrayList<>();
        branches.addAll(pg.query("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")
                .map(r -> PG + ":" + text(r.get(0))).collectList().block(TIMEOUT));
        branches.addAll(maria.query("XA RECOVER").map(r -> MARIA + ":" + text(r.get(3))).collectList().block(TIMEOUT));
        branches.removeIf(b -> !b.substring(b.indexOf(':') + 1).startsWith(BRANCH_PREFIX));
        return branches;
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof ByteBuffer buffer) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        return String.valueOf(value);
    }

    /** Records in the decision log (each is deleted once its transaction ended everywhere). */
    long logRecords() {
        return pg.query("SELECT to_regclass('" + LOG_PREFIX + "_log') IS NOT NULL").single()
                .flatMap(r -> Boolean.TRUE.equals(r.get(0))
                        ? pg.query("SELECT COUNT(*) FROM " + LOG_PREFIX + "_log").single().map(TransferFixture::number)
                        : Mono.just(0L))
                .block(TIMEOUT);
    }

    /** Connections out of the two pools. */
    int acquired() {
        return pg.poolMetrics().acquired() + maria.poolMetrics().acquired();
    }

    /**
     * Checks that the transfers left nothing behind, then closes the registry.
     *
     * @throws IllegalStateException naming what was left: money not conserved, prepared branches, log records, or
     *     connections still out 10 s after the last transfer
     */
    @Override
    public void close() {
        try {
            Flux.interval(Duration.ofMillis(20)).filter(tick -> acquired() == 0).next()
                    .timeout(Duration.ofSeconds(10), Mono.empty()).block();
            List<String> problems = new ArrayList<>();
            long total = total();
            if (total != totalBefore) {
                problems.add("the total balance went from " + totalBefore + " to " + total);
            }
            List<String> branches = inDoubt();
            if (!branches.isEmpty()) {
                problems.add("branches still prepared: " + branches);
            }
            long records = logRecords();
            if (records != 0) {
                problems.add(records + " records left in " + LOG_PREFIX + "_log");
            }
            if (acquired() != 0) {
                problems.add(acquired() + " connections still acquired 10 s after the last transfer");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("bench_tx transfers left: " + String.join("; ", problems));
            }
        } finally {
            databases.close().block(TIMEOUT);
        }
    }

    /** One transfer: {@code amount} from account {@code from} in PostgreSQL to account {@code to} in MariaDB. */
    record Transfer(int from, int to, long amount) {
    }

    /** The first column of a row as a long (counts and sums arrive as Long or BigDecimal). */
    private static long number(Row r) {
        return ((Number) r.get(0)).longValue();
    }
}
