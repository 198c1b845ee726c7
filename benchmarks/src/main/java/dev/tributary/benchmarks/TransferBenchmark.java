package dev.tributary.benchmarks;

import dev.tributary.core.Session;
import dev.tributary.core.TransactionOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code transfer}: an amount moves from a random account in PostgreSQL to a random account in MariaDB
 * ({@code UPDATE bench_tx_account SET balance = balance + ? WHERE id = ?} on each side, {@code accounts} accounts
 * per side so that transfers rarely wait for each other's row locks). {@value #CALLERS} callers at once, one JMH
 * thread each, every caller waiting for its transfer to end; the score is transfers per second. Every body issues
 * the PostgreSQL update, then the MariaDB one, so that the variants differ only in how they commit:
 * <ul>
 *   <li>{@code twoPhase}: one {@code Databases.inTransaction}, two-phase commit (both prepare, the decision is
 *       logged in PostgreSQL, both commit, the record is deleted);</li>
 *   <li>{@code bestEffort}: the same in {@code BEST_EFFORT} mode, each step registering the SQL that undoes it
 *       ({@code compensateWith}), as a saga that recovery can finish must;</li>
 *   <li>{@code bestEffortUncompensated}: {@code BEST_EFFORT} without compensations (the commits in turn, nothing
 *       recorded: what a fan-out commit without prepare does);</li>
 *   <li>{@code twoLocal}: two independent local transactions ({@code Database.inTransaction} on each, one after
 *       the other), no atomicity across the two;</li>
 *   <li>{@code onePostgres}: the floor, both updates in one local PostgreSQL transaction.</li>
 * </ul>
 * {@link TransferLatencyBenchmark} samples the time of each transfer of the same bodies (p50, p99). Each body
 * checks that both updates hit a row; {@link TransferFixture#close()} checks afterwards that the money is conserved
 * and nothing is left prepared, logged or acquired.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(TransferBenchmark.CALLERS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TransferBenchmark {

    static final int CALLERS = 8;
    static final TransactionOptions SAGA = TransactionOptions.builder()
            .mode(TransactionOptions.Mode.BEST_EFFORT).build();

    @Param("10000")
    public int accounts;

    TransferFixture fx;

    @Setup(Level.Trial)
    public void setUp() {
        fx = TransferFixture.open(accounts);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fx.close();
    }

    /** Two-phase commit across PostgreSQL and MariaDB, decision log in PostgreSQL. */
    @Benchmark
    public long twoPhase() {
        TransferFixture.Transfer t = fx.next();
        return check("twoPhase", fx.databases.inTransaction(g -> g.on(TransferFixture.PG)
                .update(fx.addPg, -t.amount(), t.from())
                .concatWith(Mono.defer(() -> g.on(TransferFixture.MARIA).update(fx.addMaria, t.amount(), t.to())))));
    }

    /** Best-effort (saga) commit, PostgreSQL first, each step with its compensation registered. */
    @Benchmark
    public long bestEffort() {
        TransferFixture.Transfer t = fx.next();
        return check("bestEffort", fx.databases.inTransaction(SAGA, g -> {
            Session pg = g.on(TransferFixture.PG);
            return pg.update(fx.addPg, -t.amount(), t.from())
                    .flatMap(n -> pg.compensateWith(fx.addPg, t.amount(), t.from()).thenReturn(n))
                    .concatWith(Mono.defer(() -> {
                        Session maria = g.on(TransferFixture.MARIA);
                        return maria.update(fx.addMaria, t.amount(), t.to())
                                .flatMap(n -> maria.compensateWith(fx.addMaria, -t.amount(), t.to()).thenReturn(n));
                    }));
        }));
    }

    /** Best-effort commit without compensations: PostgreSQL commits, then MariaDB; nothing is logged. */
    @Benchmark
    public long bestEffortUncompensated() {
        TransferFixture.Transfer t = fx.next();
        return check("bestEffortUncompensated", fx.databases.inTransaction(SAGA, g -> g.on(TransferFixture.PG)
                .update(fx.addPg, -t.amount(), t.from())
                .concatWith(Mono.defer(() -> g.on(TransferFixture.MARIA).update(fx.addMaria, t.amount(), t.to())))));
    }

    /** Two independent local transactions, PostgreSQL then MariaDB. */
    @Benchmark
    public long twoLocal() {
        TransferFixture.Transfer t = fx.next();
        return check("twoLocal", fx.pg.inTransaction(s -> s.update(fx.addPg, -t.amount(), t.from()))
                .concatWith(fx.maria.inTransaction(s -> s.update(fx.addMaria, t.amount(), t.to()))));
    }

    /** The floor: the same two updates in one local PostgreSQL transaction (both accounts in PostgreSQL). */
    @Benchmark
    public long onePostgres() {
        TransferFixture.Transfer t = fx.next();
        return check("onePostgres", fx.pg.inTransaction(s -> s.update(fx.addPg, -t.amount(), t.from())
                .concatWith(s.update(fx.addPg, t.amount(), t.to()))));
    }

    /** Waits for the transfer and checks that it updated one row on each side. */
    private static long check(String variant, Flux<Long> updates) {
        Long n = updates.reduce(0L, Long::sum).block(TransferFixture.TIMEOUT);
        return Check.rows("transfer." + variant, n == null ? -1 : n, 2);
    }
}
