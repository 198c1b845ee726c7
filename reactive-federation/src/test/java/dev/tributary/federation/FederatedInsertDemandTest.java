package dev.tributary.federation;

import static dev.tributary.federation.WriteFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * A federated INSERT ... SELECT of 1,000,000 rows generated on PostgreSQL into H2 holds a bounded number of rows:
 * a test of demand, not of time. The source is never asked for more rows than one batch ahead of what the target
 * has written (the batch being filled; the next is requested only once the previous one was written), and every
 * row arrives once.
 */
class FederatedInsertDemandTest {

    private static final int BATCH = 1000;
    private static final long ROWS = 1_000_000;

    @Test
    void aMillionRowInsertSelectRequestsTheSourceOnlyAsFastAsTheTargetWrites() {
        WriteFixture data = WriteFixture.get();
        data.reset();
        Federation federation = Federation.over(data.databases, FederationOptions.builder().writeBatchSize(BATCH).build());
        // every database's catalog read before counting: catalogs are read lazily, each with unbounded demand
        StepVerifier.create(federation.refreshCatalog()).verifyComplete();
        StepVerifier.create(federation.explain("SELECT id FROM pgw.dml_million")).expectNextCount(1).verifyComplete();
        data.counters.reset();
        try {
            StepVerifier.create(federation.update("INSERT INTO h2w.dml_big (id, v) SELECT id, v FROM pgw.dml_million"))
                    .expectNext(ROWS)
                    .expectComplete()
                    .verify(Duration.ofMinutes(5));
            System.out.println("INSERT ... SELECT of " + ROWS + " rows in batches of " + BATCH + ": at most "
                    + data.counters.maxAhead.get() + " rows requested from the source ahead of the rows written");
            assertThat(data.counters.rowsWritten.get()).isEqualTo(ROWS);
            assertThat(data.counters.maxAhead.get()).as("rows requested ahead of the rows written")
                    .isPositive()
                    .isLessThanOrEqualTo(BATCH);
            assertThat(data.count("h2w", "SELECT COUNT(*) FROM dml_big")).isEqualTo(ROWS);
            assertThat(data.count("h2w", "SELECT SUM(CAST(id AS BIGINT)) FROM dml_big")).isEqualTo(ROWS * (ROWS + 1) / 2);
            assertThat(data.count("h2w", "SELECT COUNT(DISTINCT id) FROM dml_big")).isEqualTo(ROWS);
            data.awaitAllConnectionsReturned();
        } finally {
            data.databases.get("h2w").update("DELETE FROM dml_big").block(TIMEOUT);
        }
    }
}
