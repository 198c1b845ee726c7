package dev.tributary.core;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs statements on one connection: binds values (nulls as typed nulls), reads rows into detached
 * {@link Row}s and counts updates. Knows nothing of pools; the caller owns the connection.
 */
final class Statements {

    private Statements() {
    }

    /** The rows of {@code sql} run with {@code binds} on {@code connection}. */
    static Flux<Row> rows(Connection connection, Dialect dialect, String sql, @Nullable Object[] binds) {
        return Flux.defer(() -> Flux.from(bind(connection.createStatement(sql), dialect, binds).execute()))
                .concatMap(result -> result.map(new RowReader()));
    }

    /** The total count of rows {@code sql} changed. */
    static Mono<Long> update(Connection connection, Dialect dialect, String sql, @Nullable Object[] binds) {
        return Flux.defer(() -> Flux.from(bind(connection.createStatement(sql), dialect, binds).execute()))
                .concatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum);
    }

    /**
     * The count of rows each bind set changed, in order. The bind sets travel as one statement with
     * {@link Statement#add()} between them, so that the driver sends them together; each yields its own result.
     */
    static Mono<long[]> batch(Connection connection, Dialect dialect, String sql, List<@Nullable Object[]> bindSets) {
        if (bindSets.isEmpty()) {
            return Mono.just(new long[0]);
        }
        return Flux.defer(() -> {
                    Statement statement = connection.createStatement(sql);
                    for (int i = 0; i < bindSets.size(); i++) {
                        if (i > 0) {
                            statement.add();
                        }
                        bind(statement, dialect, bindSets.get(i));
                    }
                    return Flux.from(statement.execute());
                })
                .concatMap(result -> Flux.from(result.getRowsUpdated()).reduce(0L, Long::sum))
                .collectList()
                .map(counts -> counts.stream().mapToLong(Long::longValue).toArray());
    }

    static Statement bind(Statement statement, Dialect dialect, @Nullable Object[] binds) {
        for (int i = 0; i < binds.length; i++) {
            Object value = binds[i];
            if (value == null) {
                statement.bindNull(i, untypedNull(dialect));
            } else {
                statement.bind(i, value);
            }
        }
        return statement;
    }

    /**
     * The class to bind a {@code null} of unknown type as. Measured on the three drivers, for
     * {@code WHERE col = $1} and {@code INSERT ... VALUES ($1)} against INT, VARCHAR, DATE and BOOLEAN columns:
     * r2dbc-postgresql binds {@code Object} as an unspecified type the server infers (binding {@code String}
     * there fails with "operator does not exist: integer = character varying"); r2dbc-h2 and r2dbc-mariadb
     * have no encoder for {@code Object} and accept a {@code String}-typed NULL against any column type.
     * A caller who knows the type may pass {@code io.r2dbc.spi.Parameters.in(R2dbcType.INTEGER)} instead.
     */
    static Class<?> untypedNull(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? Object.class : String.class;
    }

    /**
     * Reads the rows of one {@link Result}: the {@link Columns} are built from the first row's metadata and
     * shared by every row, so that a row costs one {@code Object[]} and one {@link Row}.
     */
    static final class RowReader implements BiFunction<io.r2dbc.spi.Row, RowMetadata, Row> {

        private @Nullable Columns columns;

        @Override
        public Row apply(io.r2dbc.spi.Row row, RowMetadata metadata) {
            Columns cols = columns;
            if (cols == null) {
                cols = columnsOf(metadata);
                columns = cols;
            }
            int n = cols.size();
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = row.get(i);
            }
            return Row.of(cols, values);
        }

        private static Columns columnsOf(RowMetadata metadata) {
            List<? extends io.r2dbc.spi.ColumnMetadata> list = metadata.getColumnMetadatas();
            String[] names = new String[list.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = list.get(i).getName();
            }
            return Columns.of(names);
        }
    }
}
