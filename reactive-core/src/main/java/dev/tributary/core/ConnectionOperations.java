package dev.tributary.core;

import io.r2dbc.spi.Connection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link SqlOperations} written once over {@link #withConnection}: a pooled database borrows a connection
 * per call, a transaction's session uses its one connection. Every SQL call goes through
 * {@link #rows}, {@link #update} or {@link #batch}, each of which goes through {@link #withConnection}.
 */
abstract class ConnectionOperations implements SqlOperations {

    private static final ToLongFunction<Object> ROW = row -> 1;
    private static final ToLongFunction<long[]> BATCH_ROWS = ConnectionOperations::batchRows;

    private final Dialect dialect;

    ConnectionOperations(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Runs {@code work} on a connection and emits what it emits. The connection is held for as long as the
     * returned publisher runs; cancelling it ends the work.
     */
    abstract <T> Flux<T> withConnection(Function<Connection, ? extends Publisher<T>> work);

    @Override
    public final Dialect dialect() {
        return dialect;
    }

    @Override
    public final Flux<Row> query(String sql, Object... binds) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(binds, "binds");
        return observed(QueryKind.QUERY, sql, rows(sql, binds), ROW);
    }

    @Override
    public final Flux<Row> query(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(params, "params");
        return observed(QueryKind.QUERY, sql, Flux.defer(() -> {
            NamedParameters parsed = NamedParameters.parse(sql, dialect);
            return rows(parsed.sql(), parsed.binds(params));
        }), ROW);
    }

    @Override
    public final <T> Flux<T> query(String sql, Class<T> type, Object... binds) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(binds, "binds");
        return Flux.defer(() -> query(sql, binds).map(RowMapper.of(type)));
    }

    @Override
    public final Mono<Long> update(String sql, Object... binds) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(binds, "binds");
        return observed(QueryKind.UPDATE, sql,
                guardWrite(withConnection(connection -> Statements.update(connection, dialect, sql, binds))), n -> n)
                .single();
    }

    @Override
    public final Mono<long[]> batch(String sql, List<Object[]> bindSets) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(bindSets, "bindSets");
        List<Object[]> sets = List.copyOf(bindSets);
        return observed(QueryKind.BATCH, sql,
                guardWrite(withConnection(connection -> Statements.batch(connection, dialect, sql, sets))), BATCH_ROWS)
                .single();
    }

    private static long batchRows(long[] counts) {
        long sum = 0;
        for (long count : counts) {
            sum += count;
        }
        return sum;
    }

    /**
     * {@code call} as reported to the listeners and observed ({@link Instrumentation#call}); as it is here (a
     * transaction's session reports the transaction, not its calls).
     */
    <T> Flux<T> observed(QueryKind kind, String sql, Flux<T> call, ToLongFunction<? super T> rows) {
        return call;
    }

    /** The one query path: the rows of {@code sql} with positional {@code binds}. */
    Flux<Row> rows(String sql, Object[] binds) {
        return guardRead(withConnection(connection -> Statements.rows(connection, dialect, sql, binds)));
    }

    /** Applies the resilience guards to a read; none here (a transaction's calls are never retried). */
    <T> Flux<T> guardRead(Flux<T> read) {
        return read;
    }

    /** Applies the resilience guards to a write; none here. */
    <T> Flux<T> guardWrite(Flux<T> write) {
        return write;
    }
}
