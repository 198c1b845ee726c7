package dev.tributary.federation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable query builder mirroring AMSDAL Glue's {@code QueryStatement}: select fields with aliases, a
 * table with an alias, joins with a type and an ON condition, where, order by, limit and offset. Every
 * method returns a new {@code Query}. It renders to the equivalent SQL ({@link #toSql()}), so it produces
 * exactly the plan that SQL would.
 *
 * <pre>{@code
 * Query q = Query.select("c.name", "o.amount AS amount")
 *         .from("customers.customers", "c")
 *         .join("orders.orders", "o", "o.customer_id = c.id")
 *         .where("c.country = ?").params("DE")
 *         .orderBy("o.amount DESC").limit(10);
 * Flux<Row> rows = federation.query(q);
 * }</pre>
 */
public final class Query {

    /** The join types of {@link #join(JoinType, String, String, String)}. */
    public enum JoinType { INNER, LEFT, RIGHT, FULL }

    private record Join(JoinType type, String table, @Nullable String alias, String on) {
    }

    private final boolean distinct;
    private final List<String> fields;
    private final @Nullable String table;
    private final @Nullable String alias;
    private final List<Join> joins;
    private final List<String> where;
    private final List<String> orderBy;
    private final long limit;
    private final long offset;
    private final List<@Nullable Object> params;
    private final Map<String, @Nullable Object> named;

    private Query(boolean distinct, List<String> fields, @Nullable String table, @Nullable String alias, List<Join> joins,
            List<String> where, List<String> orderBy, long limit, long offset, List<@Nullable Object> params,
            Map<String, @Nullable Object> named) {
        this.distinct = distinct;
        this.fields = List.copyOf(fields);
        this.table = table;
        this.alias = alias;
        this.joins = List.copyOf(joins);
        this.where = List.copyOf(where);
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.offset = offset;
        this.params = java.util.Collections.unmodifiableList(new ArrayList<>(params));
        this.named = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(named));
    }

    /**
     * A query selecting these fields, each an expression with an optional alias ({@code "o.amount AS total"});
     * none selects {@code *}.
     */
    public static Query select(String... fields) {
        for (String f : fields) {
            Objects.requireNonNull(f, "field");
        }
        return new Query(false, List.of(fields), null, null, List.of(), List.of(), List.of(), -1, 0, List.of(), Map.of());
    }

    /** This query with {@code SELECT DISTINCT}. */
    public Query distinct() {
        return new Query(true, fields, table, alias, joins, where, orderBy, limit, offset, params, named);
    }

    /** This query reading from {@code table} ({@code database.table} or a bare name). */
    public Query from(String table) {
        return from(table, null);
    }

    /** This query reading from {@code table} under {@code alias}. */
    public Query from(String table, @Nullable String alias) {
        Objects.requireNonNull(table, "table");
        return new Query(distinct, fields, table, alias, joins, where, orderBy, limit, offset, params, named);
    }

    /** This query with an inner join. */
    public Query join(String table, @Nullable String alias, String on) {
        return join(JoinType.INNER, table, alias, on);
    }

    /** This query with a LEFT join. */
    public Query leftJoin(String table, @Nullable String alias, String on) {
        return join(JoinType.LEFT, table, alias, on);
    }

    /** This query with a RIGHT join. */
    public Query rightJoin(String table, @Nullable String alias, String on) {
        return join(JoinType.RIGHT, table, alias, on);
    }

    /** This query with a FULL join. */
    public Query fullJoin(String table, @Nullable String alias, String on) {
        return join(JoinType.FULL, table, alias, on);
    }

    /** This query with a join of the given type and ON condition. */
    public Query join(JoinType type, String table, @Nullable String alias, String on) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(on, "on");
        List<Join> j = new ArrayList<>(joins);
        j.add(new Join(type, table, alias, on));
        return new Query(distinct, fields, this.table, this.alias, j, where, orderBy, limit, offset, params, named);
    }

    /** This query with a WHERE condition, AND-ed with any earlier one. */
    public Query where(String condition) {
        Objects.requireNonNull(condition, "condition");
        List<String> w = new ArrayList<>(where);
        w.add(condition);
        return new Query(distinct, fields, table, alias, joins, w, orderBy, limit, offset, params, named);
    }

    /** This query ordered by these items ({@code "o.amount DESC"}), after any earlier ones. */
    public Query orderBy(String... items) {
        List<String> o = new ArrayList<>(orderBy);
        for (String i : items) {
            o.add(Objects.requireNonNull(i, "order item"));
        }
        return new Query(distinct, fields, table, alias, joins, where, o, limit, offset, params, named);
    }

    /**
     * This query returning at most {@code limit} rows.
     *
     * @throws IllegalArgumentException if negative
     */
    public Query limit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        return new Query(distinct, fields, table, alias, joins, where, orderBy, limit, offset, params, named);
    }

    /**
     * This query skipping the first {@code offset} rows.
     *
     * @throws IllegalArgumentException if negative
     */
    public Query offset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        return new Query(distinct, fields, table, alias, joins, where, orderBy, limit, offset, params, named);
    }

    /** This query with values for its {@code ?} parameters, in order (replacing earlier ones). */
    public Query params(@Nullable Object... values) {
        return new Query(distinct, fields, table, alias, joins, where, orderBy, limit, offset,
                java.util.Arrays.asList(values.clone()), named);
    }

    /** This query with a value for its {@code :name} parameter. */
    public Query param(String name, @Nullable Object value) {
        Objects.requireNonNull(name, "name");
        Map<String, @Nullable Object> n = new LinkedHashMap<>(named);
        n.put(name, value);
        return new Query(distinct, fields, table, alias, joins, where, orderBy, limit, offset, params, n);
    }

    /** The {@code ?} parameter values. */
    public List<@Nullable Object> positionalParams() {
        return params;
    }

    /** The {@code :name} parameter values. */
    public Map<String, @Nullable Object> namedParams() {
        return named;
    }

    /**
     * The equivalent SQL.
     *
     * @throws IllegalStateException if no table was given with {@link #from(String)}
     */
    public String toSql() {
        if (table == null) {
            throw new IllegalStateException("Query has no table: call from(table) before toSql()");
        }
        StringBuilder sb = new StringBuilder("SELECT ");
        if (distinct) {
            sb.append("DISTINCT ");
        }
        sb.append(fields.isEmpty() ? "*" : String.join(", ", fields));
        sb.append(" FROM ").append(table);
        if (alias != null) {
            sb.append(' ').append(alias);
        }
        for (Join j : joins) {
            sb.append(switch (j.type()) {
                case INNER -> " JOIN ";
                case LEFT -> " LEFT JOIN ";
                case RIGHT -> " RIGHT JOIN ";
                case FULL -> " FULL JOIN ";
            }).append(j.table());
            if (j.alias() != null) {
                sb.append(' ').append(j.alias());
            }
            sb.append(" ON ").append(j.on());
        }
        if (!where.isEmpty()) {
            sb.append(" WHERE ");
            for (int i = 0; i < where.size(); i++) {
                sb.append(i > 0 ? " AND (" : "(").append(where.get(i)).append(')');
            }
        }
        if (!orderBy.isEmpty()) {
            sb.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        if (limit >= 0) {
            sb.append(" LIMIT ").append(limit);
        }
        if (offset > 0) {
            sb.append(" OFFSET ").append(offset);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return table == null ? "Query{no table}" : toSql();
    }
}
