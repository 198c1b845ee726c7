package dev.tributary.core;

import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The SQL calls a {@link Database} and a transaction's {@link Session} have in common. Every method is
 * lazy: nothing is sent before subscription. Every publisher honours demand and cancellation; cancelling
 * a query returns its connection to the pool.
 *
 * <p>Bind values are passed positionally and written in the SQL with the database's own markers
 * ({@code $1} on PostgreSQL and H2, {@code ?} on MariaDB), or by name as {@code :name} with a map. A
 * {@code null} bind is bound as a typed SQL NULL the database can compare and insert into a column of any
 * type (PostgreSQL infers the type from the context; H2 and MariaDB get a character NULL, which they convert).
 * Where the context gives no type, as in PostgreSQL's {@code $1 IS NULL}, pass
 * {@code io.r2dbc.spi.Parameters.in(R2dbcType.INTEGER)} (or any {@code Parameter}) instead. Driver errors reach the subscriber with their R2DBC type
 * ({@code R2dbcBadGrammarException}, {@code R2dbcDataIntegrityViolationException}, ...).
 */
public interface SqlOperations {

    /** The SQL dialect of the database these calls go to. */
    Dialect dialect();

    /**
     * Runs a query and emits its rows, detached from the driver.
     *
     * @param sql the statement, with the database's bind markers
     * @param binds one value per marker, in order
     * @return the rows; completes after the last, or signals the driver's error
     */
    Flux<Row> query(String sql, Object... binds);

    /**
     * Runs a query written with {@code :name} parameters and emits its rows. Every name in the SQL must
     * have an entry in {@code params}; a name used twice is bound twice. Text inside quotes and
     * PostgreSQL's {@code ::type} casts are left alone.
     *
     * @throws IllegalArgumentException (signalled) if a parameter has no value
     */
    Flux<Row> query(String sql, Map<String, ?> params);

    /**
     * Runs a query and maps each row onto {@code type}: a record's components (or a class's single
     * constructor's parameters) by column name, case-insensitively, with {@code snake_case} columns matching
     * {@code camelCase} names; or, for a single-column result, the value itself as {@code type}.
     *
     * @throws IllegalArgumentException (signalled) if a component has no matching column, or a value
     *     cannot be converted
     */
    <T> Flux<T> query(String sql, Class<T> type, Object... binds);

    /**
     * Runs an INSERT, UPDATE, DELETE or DDL statement.
     *
     * @return the number of rows it changed
     */
    Mono<Long> update(String sql, Object... binds);

    /**
     * Runs the statement {@code sql} once for each array of binds, on one connection, in order: one statement
     * with the bind sets added to it ({@code io.r2dbc.spi.Statement.add()}), which the driver sends together
     * rather than one round trip per set. An empty list runs nothing.
     *
     * @return the number of rows each run changed, in order; a failing bind set signals the driver's error
     */
    Mono<long[]> batch(String sql, List<Object[]> bindSets);
}
