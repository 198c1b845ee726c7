package dev.tributary.federation;

import dev.tributary.core.Databases;
import dev.tributary.core.GlobalSession;
import dev.tributary.core.QueryKind;
import dev.tributary.core.Row;
import dev.tributary.core.TributaryException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.dml.FederatedWrites;
import dev.tributary.federation.plan.Binder;
import dev.tributary.federation.plan.Executor;
import dev.tributary.federation.plan.Explain;
import dev.tributary.federation.plan.PhysicalPlan;
import dev.tributary.federation.plan.Planner;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import dev.tributary.federation.sql.SqlFrontEnd;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Federated SELECT over the databases of a {@link Databases} registry, and federated writes
 * ({@link #update(String, Object...)}).
 *
 * <pre>{@code
 * Federation fed = Federation.over(databases);
 * Flux<Row> rows = fed.query("SELECT c.name, o.amount FROM customers.customers c"
 *         + " JOIN orders.orders o ON o.customer_id = c.id WHERE c.country = ?", "DE");
 * }</pre>
 *
 * <p>Tables are named {@code database.table} (a registered name or alias) or by a bare name that exactly
 * one database has. Each database's catalog (tables, columns, row estimates) is read from its
 * information_schema on first use and cached until {@link #refreshCatalog()} or the configured
 * {@link FederationOptions#catalogMaxAge() maximum age}; planning is then pure computation, and plans are
 * cached per SQL text.
 *
 * <p>A query over one database is sent to it whole. Otherwise each maximal group of same-database tables
 * joined to each other becomes one SQL fragment with its joins, its predicates and only the columns used
 * above; fragments run concurrently, each as its own {@code Flux} from its {@code Database}, and are
 * combined by backpressured hash joins (the smaller estimated side builds). When a build side has at most
 * {@link FederationOptions#dynamicFilterMaxKeys()} distinct keys, they are pushed into the probe fragment
 * ({@code = ANY($n)} on PostgreSQL, batches of {@code IN (...)} elsewhere). Predicates across databases,
 * ORDER BY, LIMIT/OFFSET, the select list and DISTINCT then run in memory with PostgreSQL's semantics
 * (three-valued logic, integer division, NULLs last ascending; strings compare by code point). A predicate
 * pushed into a fragment is evaluated by that database with its own collation: MariaDB's default collation
 * compares case-insensitively, so use a binary ({@code utf8mb4_bin}) collation where that matters.
 *
 * <h2>Supported SQL</h2>
 * {@code SELECT [DISTINCT]} with all join types, {@code WHERE}, aggregates ({@code COUNT/SUM/AVG/MIN/MAX},
 * with {@code DISTINCT}), {@code GROUP BY}, {@code HAVING}, {@code ORDER BY ... NULLS FIRST/LAST},
 * {@code LIMIT/OFFSET/FETCH FIRST}, derived tables, non-recursive {@code WITH}, {@code [NOT] IN (SELECT ...)},
 * {@code [NOT] EXISTS} (correlated by equalities), uncorrelated scalar subqueries, {@code UNION [ALL]},
 * {@code CASE}, scalar functions and {@code CAST}, parameters {@code ?} or {@code :name} (not mixed). A derived
 * table, WITH query, UNION or subquery whose tables lie in one database is sent to it inside that database's
 * fragment; {@code [NOT] EXISTS} and {@code [NOT] IN} across databases run as semi, anti and NOT IN hash joins.
 * The full reference, with what is pushed down and what is refused, is {@code reactive-federation/SQL.md}.
 *
 * <p>Refused with {@link UnsupportedSqlException} (naming the construct, its line and column, with a hint)
 * before any database is touched: statements other than SELECT; INTERSECT/EXCEPT; recursive WITH; window
 * functions; LATERAL; NATURAL joins and USING; FOR UPDATE; a join between databases without an equality
 * condition; across databases, correlated subqueries other than [NOT] EXISTS / IN correlated by equalities.
 *
 * <h2>A database that is down</h2>
 * Each database's catalog is read on its own, when a query first names one of its tables (a bare table name
 * reads every database's). A database that is down at that moment fails only the queries naming its tables, with
 * {@link dev.tributary.core.DatabaseUnavailableException} naming it; queries over the other databases run, and
 * its catalog is read again by a query naming it at most every two seconds, until it answers. A database that goes
 * down after its catalog was read fails, the same way, only the queries that read from it. {@link #catalogStatus()}
 * shows each database's catalog state.
 */
public final class Federation {

    private static final int PLAN_CACHE_SIZE = 512;

    private record Cached(Catalog catalog, PhysicalPlan plan) {
    }

    /** The name federated queries are reported under ({@link Databases#instrument}). */
    static final String OBSERVED_NAME = "federation";

    private final Databases databases;
    private final FederationOptions options;
    private final CatalogCache catalogs;
    private final Map<String, Cached> plans = new ConcurrentHashMap<>();

    private Federation(Databases databases, FederationOptions options) {
        this.databases = databases;
        this.options = options;
        this.catalogs = new CatalogCache(databases, options.catalogMaxAge());
    }

    /** A federation over the registry's databases with the default options. */
    public static Federation over(Databases databases) {
        return over(databases, FederationOptions.defaults());
    }

    /** A federation over the registry's databases with these options. */
    public static Federation over(Databases databases, FederationOptions options) {
        return new Federation(Objects.requireNonNull(databases, "databases"), Objects.requireNonNull(options, "options"));
    }

    /** The options this federation runs with. */
    public FederationOptions options() {
        return options;
    }

    /**
     * Runs a federated SELECT with positional {@code ?} parameters.
     *
     * @return the rows, columns named by the select list (alias, else column name); cold and lazy
     * @throws UnsupportedSqlException (signalled) for SQL outside the supported subset, before any database is touched
     * @throws UnknownTableException (signalled) for an unknown or ambiguous table
     * @throws UnknownColumnException (signalled) for an unknown or ambiguous column
     * @throws MemoryBudgetExceededException (signalled) when a build side or sort exceeds the memory budget
     * @throws IllegalArgumentException (signalled) when the number of parameters differs from the SQL's
     */
    public Flux<Row> query(String sql, @Nullable Object... params) {
        Objects.requireNonNull(sql, "sql");
        Object[] values = params == null ? new Object[] {null} : params.clone();
        return observed(sql, prepare(sql).flatMapMany(plan -> {
            BoundCheck.positional(plan, values);
            return execute(plan, p -> values[p.index()]);
        }));
    }

    /**
     * Runs a federated SELECT with {@code :name} parameters; see {@link #query(String, Object...)}.
     *
     * @throws IllegalArgumentException (signalled) when a parameter of the SQL has no entry in {@code params}
     */
    public Flux<Row> query(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql");
        Map<String, ?> values = Map.copyOf(Objects.requireNonNull(params, "params").entrySet().stream()
                .filter(e -> e.getValue() != null).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        java.util.Set<String> names = params.keySet();
        return observed(sql, prepare(sql).flatMapMany(plan -> {
            BoundCheck.named(plan, names);
            return execute(plan, p -> values.get(p.name()));
        }));
    }

    /**
     * A federated query as one call of the registry's listeners and observations (database {@code federation}); its
     * fragments are reported as calls of kind FRAGMENT, observed as its children.
     */
    private Flux<Row> observed(String sql, Flux<Row> query) {
        return databases.instrument(OBSERVED_NAME, QueryKind.QUERY, sql, query);
    }

    /**
     * Runs a federated SELECT and maps each row onto {@code type}: a record's components by column name
     * (case-insensitive, {@code snake_case} matching {@code camelCase}), or the single column's value.
     *
     * @throws IllegalArgumentException (signalled) if a component has no column or a value does not convert
     */
    public <T> Flux<T> query(String sql, Class<T> type, @Nullable Object... params) {
        Objects.requireNonNull(type, "type");
        return Flux.defer(() -> {
            RowMapping<T> mapping = RowMapping.of(type);
            return query(sql, params).map(mapping);
        });
    }

    /** Runs a query built with {@link Query}; the same as running its {@link Query#toSql() SQL}. */
    public Flux<Row> query(Query query) {
        Objects.requireNonNull(query, "query");
        if (!query.namedParams().isEmpty()) {
            return query(query.toSql(), query.namedParams());
        }
        return query(query.toSql(), query.positionalParams().toArray());
    }

    /**
     * Runs a federated INSERT, UPDATE or DELETE with positional {@code ?} parameters, on tables named as in
     * {@link #query(String, Object...)}. A statement whose tables all lie in one database is sent to it whole
     * (table names rendered for its dialect, values as bind parameters). Across databases two shapes run:
     * {@code INSERT INTO db.t [(columns)] SELECT ...} streams the rows of the federated SELECT into the table in
     * batches of {@link FederationOptions#writeBatchSize()} rows, reading the next batch only after the previous
     * one was written; and {@code UPDATE/DELETE ... WHERE [conditions on the table AND] col IN (SELECT ...)}
     * runs the subquery first and binds its distinct keys into the statement, {@link FederationOptions#inListBatchSize()}
     * at a time. Either runs in one transaction on the written database: on an error or cancellation nothing is
     * written and every connection goes back to its pool. The SELECT parts read the other databases through their
     * pools (committed data). The full reference is {@code reactive-federation/SQL.md}.
     *
     * @return the count of rows written; cold and lazy
     * @throws UnsupportedSqlException (signalled, before anything is written) for statements other than INSERT,
     *     UPDATE and DELETE, RETURNING, WITH before the statement, a column count that differs from the SELECT's
     *     or a VALUES row's, and across databases: NOT IN or [NOT] EXISTS subqueries, a condition on another
     *     database other than one top-level {@code col IN (SELECT ...)}, joins, multi-table DELETE, subqueries in
     *     SET or VALUES, ON CONFLICT / ON DUPLICATE KEY, ORDER BY and LIMIT
     * @throws UnknownTableException (signalled) for an unknown or ambiguous table, including the written one
     * @throws UnknownColumnException (signalled) for an unknown column of the written table or of a SELECT
     * @throws IllegalArgumentException (signalled) when the number of parameters differs from the SQL's
     */
    public Mono<Long> update(String sql, @Nullable Object... params) {
        Objects.requireNonNull(sql, "sql");
        Object[] values = params == null ? new Object[] {null} : params.clone();
        return write(null, sql, values, null);
    }

    /**
     * Runs a federated INSERT, UPDATE or DELETE with {@code :name} parameters; see {@link #update(String, Object...)}.
     *
     * @throws IllegalArgumentException (signalled) when a parameter of the SQL has no entry in {@code params}
     */
    public Mono<Long> update(String sql, Map<String, ?> params) {
        Objects.requireNonNull(sql, "sql");
        return write(null, sql, null, new java.util.HashMap<>(Objects.requireNonNull(params, "params")));
    }

    /**
     * Runs a federated INSERT, UPDATE or DELETE inside a transaction across databases: what is written to a
     * database goes through {@code session.on(database)}, so that it commits or rolls back with the rest of the
     * global transaction (for example a move: insert into one database what is deleted from another). Otherwise
     * as {@link #update(String, Object...)}; an error does not roll back by itself, it fails the global
     * transaction's work.
     */
    public Mono<Long> update(GlobalSession session, String sql, @Nullable Object... params) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(sql, "sql");
        Object[] values = params == null ? new Object[] {null} : params.clone();
        return write(session, sql, values, null);
    }

    /** As {@link #update(GlobalSession, String, Object...)} with {@code :name} parameters. */
    public Mono<Long> update(GlobalSession session, String sql, Map<String, ?> params) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(sql, "sql");
        return write(session, sql, null, new java.util.HashMap<>(Objects.requireNonNull(params, "params")));
    }

    private Mono<Long> write(@Nullable GlobalSession session, String sql, @Nullable Object @Nullable [] positional,
            @Nullable Map<String, ?> named) {
        return write(session, sql, positional, named, 0);
    }

    /**
     * Runs the write over the current catalog; when it names tables of databases not read yet, reads them (each on
     * its own) and runs it again. The catalog is resolved before anything is written, so nothing is written twice.
     */
    private Mono<Long> write(@Nullable GlobalSession session, String sql, @Nullable Object @Nullable [] positional,
            @Nullable Map<String, ?> named, int round) {
        Catalog catalog = catalogs.catalog();
        return Mono.defer(() -> FederatedWrites.run(sql, catalog, databases,
                        new FederatedWrites.Settings(executionSettings(), options.writeBatchSize()), session, positional,
                        named))
                .onErrorResume(Catalog.NotLoadedException.class, e -> {
                    if (round > databases.names().size()) {
                        return Mono.error(new TributaryException("The catalog of " + e.databases() + " could not be"
                                + " read for the write: it expired again while it was read; raise catalogMaxAge"));
                    }
                    return catalogs.load(e.databases()).then(Mono.defer(() -> write(session, sql, positional, named,
                            round + 1)));
                });
    }

    /**
     * The plan of a federated SELECT, without running it (the catalog is loaded if it is not yet).
     *
     * @return the plan; parameters appear as {@code ?1}, {@code :name} in its binds
     */
    public Mono<Plan> explain(String sql) {
        Objects.requireNonNull(sql, "sql");
        return prepare(sql).map(Explain::of);
    }

    /** The plan of a query built with {@link Query}. */
    public Mono<Plan> explain(Query query) {
        return explain(Objects.requireNonNull(query, "query").toSql());
    }

    /**
     * Reads every database's catalog again, each on its own; later queries are planned over it.
     *
     * @return completes when every database was tried, never with an error: a database that could not be read
     *     is {@link CatalogStatus.State#FAILED} in {@link #catalogStatus()} (or keeps its earlier catalog)
     */
    public Mono<Void> refreshCatalog() {
        return Mono.defer(() -> catalogs.loadAll().doOnTerminate(plans::clear));
    }

    /**
     * The state of each registered database's catalog, in registry order: {@link CatalogStatus.State#LOADED}
     * with its table count and load time, {@link CatalogStatus.State#NOT_LOADED} (no query has named one of its
     * tables yet), or {@link CatalogStatus.State#FAILED} with the error and the earliest next attempt. Reads
     * nothing; suitable for a health endpoint.
     */
    public List<CatalogStatus> catalogStatus() {
        return catalogs.status();
    }

    private Mono<PhysicalPlan> prepare(String sql) {
        return Mono.defer(() -> {
            Cached cached = plans.get(sql);
            return plan(sql, cached == null ? SqlFrontEnd.parse(sql) : null, 0);
        });
    }

    /**
     * Plans over the current catalog; when the query names tables of databases not read yet, reads them (each on
     * its own) and plans again.
     */
    private Mono<PhysicalPlan> plan(String sql, @Nullable SelectQuery parsed, int round) {
        Catalog catalog = catalogs.catalog();
        Cached c = plans.get(sql);
        if (c != null && c.catalog() == catalog) {
            return Mono.just(c.plan());
        }
        SelectQuery q = parsed != null ? parsed : SqlFrontEnd.parse(sql);
        PhysicalPlan plan;
        try {
            plan = Planner.plan(Binder.bind(q, catalog), catalog, options.dynamicFilterMaxKeys());
        } catch (Catalog.NotLoadedException e) {
            if (round > databases.names().size()) {
                return Mono.error(new TributaryException("The catalog of " + e.databases() + " could not be read"
                        + " for planning: it expired again while it was read; raise catalogMaxAge"));
            }
            return catalogs.load(e.databases()).then(Mono.defer(() -> plan(sql, q, round + 1)));
        }
        if (plans.size() >= PLAN_CACHE_SIZE) {
            plans.clear();
        }
        plans.put(sql, new Cached(catalog, plan));
        return Mono.just(plan);
    }

    private Flux<Row> execute(PhysicalPlan plan, Function<Expr.Param, @Nullable Object> params) {
        return Executor.execute(plan, databases, executionSettings(), params);
    }

    private Executor.Settings executionSettings() {
        return new Executor.Settings(options.memoryBudget(), options.dynamicFilterMaxKeys(), options.probePrefetch(),
                options.inListBatchSize());
    }

    /** Parameter checks against the statement. */
    private static final class BoundCheck {
        static void positional(PhysicalPlan plan, Object[] values) {
            if (!plan.query().namedParams().isEmpty()) {
                throw new IllegalArgumentException("The query uses :name parameters " + plan.query().namedParams()
                        + "; pass them with query(sql, Map)");
            }
            if (plan.query().positionalParams() != values.length) {
                throw new IllegalArgumentException("The query has " + plan.query().positionalParams()
                        + " ? parameters but " + values.length + " values were given");
            }
        }

        static void named(PhysicalPlan plan, java.util.Set<String> names) {
            if (plan.query().positionalParams() > 0) {
                throw new IllegalArgumentException("The query uses ? parameters; pass them with query(sql, Object...)");
            }
            for (String n : plan.query().namedParams()) {
                if (!names.contains(n)) {
                    throw new IllegalArgumentException("No value for parameter :" + n + "; given " + names);
                }
            }
        }
    }
}
