package dev.tributary.federation.sql;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The query model of one SELECT statement, immutable. Relations are listed in FROM order: the first has
 * {@link JoinKind#FROM}, each later one the kind of the join that brought it in and its ON condition.
 *
 * @param distinct whether {@code SELECT DISTINCT}
 * @param items the select list as written ({@code *} and {@code t.*} not yet expanded)
 * @param relations the tables in FROM order, with their joins
 * @param where the WHERE condition, or {@code null}
 * @param groupBy the GROUP BY expressions as written (ordinals and output aliases not yet resolved)
 * @param having the HAVING condition, or {@code null}
 * @param orderBy the ORDER BY items
 * @param limit the LIMIT ({@link Expr.Literal} or {@link Expr.Param}), or {@code null}
 * @param offset the OFFSET, or {@code null}
 * @param positionalParams how many {@code ?} parameters the statement has
 * @param namedParams the {@code :name} parameters, in order of first use
 */
public record SelectQuery(boolean distinct, List<Item> items, List<Relation> relations, @Nullable Expr where,
        List<Expr> groupBy, @Nullable Expr having, List<Order> orderBy, @Nullable Expr limit, @Nullable Expr offset,
        int positionalParams, List<String> namedParams) implements QueryNode {

    public SelectQuery {
        items = List.copyOf(items);
        relations = List.copyOf(relations);
        groupBy = List.copyOf(groupBy);
        orderBy = List.copyOf(orderBy);
        namedParams = List.copyOf(namedParams);
    }

    /** This query with the statement's parameter counts. */
    public SelectQuery withParams(int positional, List<String> named) {
        return new SelectQuery(distinct, items, relations, where, groupBy, having, orderBy, limit, offset, positional,
                named);
    }

    /** How a relation joins the ones before it. */
    public enum JoinKind {
        /** The first relation of FROM. */
        FROM,
        /** {@code [INNER] JOIN ... ON}. */
        INNER,
        /** {@code LEFT [OUTER] JOIN ... ON}. */
        LEFT,
        /** {@code RIGHT [OUTER] JOIN ... ON}. */
        RIGHT,
        /** {@code FULL [OUTER] JOIN ... ON}. */
        FULL,
        /** A comma or {@code CROSS JOIN}: conditions, if any, are in WHERE. */
        CROSS
    }

    /**
     * A table in FROM, or a derived table ({@code (SELECT ...) AS alias}, or a reference to a WITH query).
     *
     * @param schema the qualifier (a database name or alias), or {@code null} for a bare name
     * @param table the table name as written (unquoted); for a derived table its alias
     * @param alias the alias, or {@code null}
     * @param kind how it joins the relations before it
     * @param on the ON condition, or {@code null}
     * @param line 1-based line of the reference, 0 if unknown
     * @param col 1-based column of the reference, 0 if unknown
     * @param subquery the query of a derived table, or {@code null} for a table
     */
    public record Relation(@Nullable String schema, String table, @Nullable String alias, JoinKind kind,
            @Nullable Expr on, int line, int col, @Nullable QueryNode subquery) {

        /** A table reference. */
        public Relation(@Nullable String schema, String table, @Nullable String alias, JoinKind kind,
                @Nullable Expr on, int line, int col) {
            this(schema, table, alias, kind, on, line, col, null);
        }

        /** The name other parts of the query use for this relation: its alias, else its table name. */
        public String exposedName() {
            return alias != null ? alias : table;
        }

        /** The reference as written, {@code schema.table}. */
        public String qualifiedName() {
            return schema == null ? table : schema + "." + table;
        }
    }

    /** One item of the select list. */
    public sealed interface Item {
    }

    /** {@code *}. */
    public record Star() implements Item {
    }

    /** {@code qualifier.*}. */
    public record TableStar(String qualifier, int line, int col) implements Item {
    }

    /** {@code expr [AS alias]}. */
    public record ExprItem(Expr expr, @Nullable String alias) implements Item {
    }

    /**
     * One ORDER BY item.
     *
     * @param nullsFirst {@code null} when not stated (PostgreSQL's default then applies: NULLs sort last
     *     ascending, first descending)
     */
    public record Order(Expr expr, boolean descending, @Nullable Boolean nullsFirst) {

        /** Whether NULLs come first, with PostgreSQL's default when unstated. */
        public boolean effectiveNullsFirst() {
            return nullsFirst != null ? nullsFirst : descending;
        }
    }
}
