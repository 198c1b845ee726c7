package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SelectQuery} with every table resolved in the catalog and every column bound to an
 * {@link Expr.Ref}; {@code *} expanded; ORDER BY aliases and ordinals replaced by their expressions.
 */
public record BoundQuery(boolean distinct, List<Relation> relations, @Nullable Expr where, List<Output> outputs,
        List<Order> orderBy, @Nullable Expr limit, @Nullable Expr offset, int positionalParams,
        List<String> namedParams) {

    public BoundQuery {
        relations = List.copyOf(relations);
        outputs = List.copyOf(outputs);
        orderBy = List.copyOf(orderBy);
        namedParams = List.copyOf(namedParams);
    }

    /** A relation of FROM, resolved: its index, exposed name, table, and join (ON bound). */
    public record Relation(int index, String name, TableInfo table, SelectQuery.JoinKind kind, @Nullable Expr on) {

        /** The database this relation's table lives in. */
        public String database() {
            return table.database();
        }
    }

    /** One output column: its name and bound expression. */
    public record Output(String name, Expr expr) {
    }

    /** One ORDER BY key, bound. */
    public record Order(Expr expr, boolean descending, boolean nullsFirst) {
    }
}
