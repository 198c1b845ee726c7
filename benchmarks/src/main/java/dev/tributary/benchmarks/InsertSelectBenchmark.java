package dev.tributary.benchmarks;

import dev.tributary.core.Row;
import dev.tributary.federation.Federation;
import dev.tributary.federation.FederationOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code insertSelect}: the first {@value #ROWS} orders (PostgreSQL) copied into an empty H2 table, in batches of
 * {@value #BATCH} rows in one transaction on H2. Tributary's federated {@code INSERT ... SELECT} against the same
 * copy written by hand (read the rows with {@code Database.query}, buffer them, {@code Session.batch} each
 * buffer); the score is time per copy, and the suite reports rows per second.
 */
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class InsertSelectBenchmark extends FixtureBenchmark {

    static final int ROWS = 50_000;
    static final int BATCH = 500;
    private static final String COLUMNS = "id, customer_id, amount, status";

    Federation federation;
    long rows;
    String target;

    @Override
    void prepare() {
        rows = Math.min(ROWS, orders);
        target = fx.data.prefix() + "orders_copy";
        fx.tributaryH2().update("CREATE TABLE IF NOT EXISTS " + target + " (id INT PRIMARY KEY, customer_id INT NOT NULL,"
                + " amount DECIMAL(10,2) NOT NULL, status VARCHAR(12) NOT NULL)").block();
        federation = Federation.over(fx.databases, FederationOptions.builder().writeBatchSize(BATCH).build());
        federation.explain("SELECT id FROM " + Queries.PG + "." + fx.data.ordersTable()).block();
    }

    /** Each single shot starts from an empty target. */
    @Setup(Level.Iteration)
    public void emptyTarget() {
        fx.tributaryH2().update("TRUNCATE TABLE " + target).block();
    }

    /** Tributary's federated INSERT ... SELECT. */
    @Benchmark
    public long federated() {
        Long n = federation.update("INSERT INTO " + Queries.H2 + "." + target + " (" + COLUMNS + ") SELECT " + COLUMNS
                + " FROM " + Queries.PG + "." + fx.data.ordersTable() + " WHERE id <= ?", rows).block();
        return Check.rows("insertSelect.federated", n, rows);
    }

    /** The same copy by hand: read, buffer, one batch statement per buffer, in one H2 transaction. */
    @Benchmark
    public long handReadThenBatchInsert() {
        String insert = "INSERT INTO " + target + " (" + COLUMNS + ") VALUES ($1, $2, $3, $4)";
        String select = "SELECT " + COLUMNS + " FROM " + fx.data.ordersTable() + " WHERE id <= $1";
        Long n = fx.tributaryH2().inTransaction(session -> fx.tributaryPg().query(select, rows)
                        .map(Row::values)
                        .buffer(BATCH)
                        .concatMap(batch -> session.batch(insert, batch).map(counts -> (long) counts.length), 0)
                        .reduce(0L, Long::sum))
                .single()
                .block();
        return Check.rows("insertSelect.handReadThenBatchInsert", n, rows);
    }
}
