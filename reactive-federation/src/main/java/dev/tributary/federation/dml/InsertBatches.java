package dev.tributary.federation.dml;

import dev.tributary.core.Row;
import dev.tributary.core.SqlOperations;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes a stream of rows into a table in batches: each batch is one statement with a bind set per row
 * ({@link SqlOperations#batch}), and the next batch is requested from the source only after the previous one
 * was written, so that at most one batch of rows is held or in flight.
 */
final class InsertBatches {

    private InsertBatches() {
    }

    /**
     * @param rows the rows to insert, their columns in the order of the INSERT's markers
     * @param target where to write (a transaction's session)
     * @param insertSql a single-row INSERT with one marker per column
     * @return the count of rows inserted
     */
    static Mono<Long> write(Flux<Row> rows, SqlOperations target, String insertSql, int batchSize) {
        return rows.map(Row::values)
                .buffer(batchSize)
                .concatMap(batch -> target.batch(insertSql, batch).map(InsertBatches::sum), 0)
                .reduce(0L, Long::sum);
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }
}
