package dev.tributary.federation;

import dev.tributary.core.Databases;
import dev.tributary.core.QueryKind;
import dev.tributary.core.Row;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.CatalogLoader;
import dev.tributary.federation.plan.Binder;
import dev.tributary.federation.plan.Executor;
import dev.tributary.federation.plan.Explain;
import dev.tributary.federation.plan.PhysicalPlan;
import dev.tributary.federation.plan.Planner;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import dev.tributary.federation.sql.SqlFrontEnd;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Federated SELECT over the databases of a {@link Databases} registry.
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
 * <p>When a database's catalog cannot be read, queries over the other databases still run; a query naming
 * one of its tables fails with {@link dev.tributary.core.DatabaseUnavailableException}, and its catalog is read
 * again (at most every two seconds) until it answers.
 */
public final class Federation {

    private static final int PLAN_CACHE_SIZE = 512;

    /** How soon a catalog that missed a database is read again. */
    private static final long UNAVAILABLE_RETRY_NANOS = java.time.Duration.ofSeconds(2).toNanos();

    private record Loaded(Catalog catalog, long loadedAt) {
    }

    private record Cached(Catalog catalog, PhysicalPlan plan) {
    }

    /** The name federated queries are reported under ({@link Databases#instrument}). */
    static final String OBSERVED_NAME = "federation";

    private final Databases databases;
    private final FederationOptions options;
    private final AtomicReference<Mono<Loaded>> catalog = new AtomicReference<>();
    private final Map<String, Cached> plans = new ConcurrentHashMap<>();

    private Federation(Databases databases, FederationOptions options) {
        this.databases = databases;
        this.options = options;
        this.catalog.set(loader());
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

    /** Reads every database's catalog again; later queries are planned over it. */
    public Mono<Void> refreshCatalog() {
        return Mono.defer(() -> {
            Mono<Loaded> fresh = loader();
            catalog.set(fresh);
            plans.clear();
            return fresh.then();
        });
    }

    private Mono<Loaded> loader() {
        long maxAge = options.catalogMaxAge() == null ? Long.MAX_VALUE : options.catalogMaxAge().toNanos();
        return CatalogLoader.load(databases)
                .map(c -> new Loaded(c, System.nanoTime()))
                .cacheInvalidateIf(l -> !l.catalog().unavailable().isEmpty()
                        && System.nanoTime() - l.loadedAt() > UNAVAILABLE_RETRY_NANOS
                        || maxAge != Long.MAX_VALUE && System.nanoTime() - l.loadedAt() > maxAge);
    }

    private Mono<PhysicalPlan> prepare(String sql) {
        return Mono.defer(() -> {
            Cached cached = plans.get(sql);
            SelectQuery parsed = cached == null ? SqlFrontEnd.parse(sql) : null;
            return catalog.get().map(loaded -> {
                Cached c = plans.get(sql);
                if (c != null && c.catalog() == loaded.catalog()) {
                    return c.plan();
                }
                SelectQuery q = parsed != null ? parsed : SqlFrontEnd.parse(sql);
                PhysicalPlan plan = Planner.plan(Binder.bind(q, loaded.catalog()), loaded.catalog(),
                        options.dynamicFilterMaxKeys());
                if (plans.size() >= PLAN_CACHE_SIZE) {
                    plans.clear();
                }
                plans.put(sql, new Cached(loaded.catalog(), plan));
                return plan;
            });
        });
    }

    private Flux<Row> execute(PhysicalPlan plan, Function<Expr.Param, @Nullable Object> params) {
        return Executor.execute(plan, databases, new Executor.Settings(options.memoryBudget(),
                options.dynamicFilterMaxKeys(), options.probePrefetch(), options.inListBatchSize()), params);
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
