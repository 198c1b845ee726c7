package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One SELECT block with every table resolved in the catalog and every column bound to an {@link Expr.Ref};
 * {@code *} expanded; GROUP BY and ORDER BY aliases and ordinals replaced by their expressions.
 *
 * <p>Every relation of a statement (the tables and derived tables of every block, however nested) has one
 * index in one list shared by all its blocks, {@link #relations()}; an {@link Expr.Ref} names a relation by
 * that index, so a correlated reference is just a reference to a relation of an outer block. The
 * relations bound while binding this block, its own and those of its derived tables and subqueries, are the
 * indexes {@code [firstRelation, endRelation)}. Compared by identity.
 */
public final class BoundQuery implements BoundBody {

    private final List<Relation> registry;
    private final List<Relation> relations;
    private final List<Relation> from;
    private final boolean distinct;
    private final @Nullable Expr where;
    private final List<Expr> groupBy;
    private final boolean aggregated;
    private final @Nullable Expr having;
    private final List<Output> outputs;
    private final List<Order> orderBy;
    private final @Nullable Expr limit;
    private final @Nullable Expr offset;
    private final int positionalParams;
    private final List<String> namedParams;
    private final int firstRelation;
    private final int endRelation;

    BoundQuery(List<Relation> relations, List<Relation> from, boolean distinct, @Nullable Expr where,
            List<Expr> groupBy, boolean aggregated, @Nullable Expr having, List<Output> outputs, List<Order> orderBy,
            @Nullable Expr limit, @Nullable Expr offset, int positionalParams, List<String> namedParams,
            int firstRelation, int endRelation) {
        this.registry = relations;
        this.relations = java.util.Collections.unmodifiableList(relations);
        this.from = List.copyOf(from);
        this.distinct = distinct;
        this.where = where;
        this.groupBy = List.copyOf(groupBy);
        this.aggregated = aggregated;
        this.having = having;
        this.outputs = List.copyOf(outputs);
        this.orderBy = List.copyOf(orderBy);
        this.limit = limit;
        this.offset = offset;
        this.positionalParams = positionalParams;
        this.namedParams = List.copyOf(namedParams);
        this.firstRelation = firstRelation;
        this.endRelation = endRelation;
    }

    /** This block with another WHERE and select list (a decorrelated subquery). */
    BoundQuery with(@Nullable Expr newWhere, List<Output> newOutputs, boolean newDistinct) {
        return new BoundQuery(registry, from, newDistinct, newWhere, groupBy, aggregated, having, newOutputs,
                orderBy, limit, offset, 0, List.of(), firstRelation, endRelation);
    }

    /**
     * This aggregated block grouped by {@code newGroupBy}, with another WHERE and select list (a decorrelated
     * scalar subquery, aggregated per correlation key).
     */
    BoundQuery grouped(@Nullable Expr newWhere, List<Expr> newGroupBy, List<Output> newOutputs) {
        return new BoundQuery(registry, from, false, newWhere, newGroupBy, true, null, newOutputs, List.of(), null,
                null, 0, List.of(), firstRelation, endRelation);
    }

    /** This block grouped by {@code more} expressions as well (columns of decorrelated subqueries). */
    BoundQuery alsoGroupedBy(List<Expr> more) {
        List<Expr> keys = new java.util.ArrayList<>(groupBy);
        keys.addAll(more);
        return new BoundQuery(registry, from, distinct, where, keys, aggregated, having, outputs, orderBy, limit,
                offset, positionalParams, namedParams, firstRelation, endRelation);
    }

    /** This block with {@code f} applied to its select list, GROUP BY, HAVING and ORDER BY (not WHERE). */
    BoundQuery map(java.util.function.UnaryOperator<Expr> f) {
        return new BoundQuery(registry, from, distinct, where, groupBy.stream().map(f).toList(), aggregated,
                having == null ? null : f.apply(having),
                outputs.stream().map(o -> new Output(o.name(), f.apply(o.expr()))).toList(),
                orderBy.stream().map(o -> new Order(f.apply(o.expr()), o.descending(), o.nullsFirst())).toList(),
                limit, offset, positionalParams, namedParams, firstRelation, endRelation);
    }

    /** Adds a relation the planner made (a decorrelated subquery) to the statement's list; returns it. */
    Relation register(String name, TableInfo table, BoundBody derived) {
        Relation r = new Relation(registry.size(), name, table, SelectQuery.JoinKind.INNER, null, derived);
        registry.add(r);
        return r;
    }

    /**
     * Adds a relation the planner made (a decorrelated scalar subquery) to the statement's list, joined as
     * {@code kind} on the condition {@code on} gives for its index; returns it.
     */
    Relation register(String name, TableInfo table, BoundBody derived, SelectQuery.JoinKind kind,
            java.util.function.IntFunction<Expr> on) {
        Relation r = new Relation(registry.size(), name, table, kind, on.apply(registry.size()), derived);
        registry.add(r);
        return r;
    }

    /** Every relation of the statement, by index (shared by all blocks). */
    public List<Relation> relations() {
        return relations;
    }

    /** This block's FROM relations, in FROM order. */
    public List<Relation> from() {
        return from;
    }

    public boolean distinct() {
        return distinct;
    }

    public @Nullable Expr where() {
        return where;
    }

    /** The GROUP BY expressions, bound. */
    public List<Expr> groupBy() {
        return groupBy;
    }

    /** Whether the block aggregates: it has GROUP BY, HAVING or an aggregate call. */
    public boolean aggregated() {
        return aggregated;
    }

    public @Nullable Expr having() {
        return having;
    }

    public List<Output> outputs() {
        return outputs;
    }

    public List<Order> orderBy() {
        return orderBy;
    }

    public @Nullable Expr limit() {
        return limit;
    }

    public @Nullable Expr offset() {
        return offset;
    }

    public int positionalParams() {
        return positionalParams;
    }

    public List<String> namedParams() {
        return namedParams;
    }

    @Override
    public int firstRelation() {
        return firstRelation;
    }

    @Override
    public int endRelation() {
        return endRelation;
    }

    @Override
    public List<String> columnNames() {
        return outputs.stream().map(Output::name).toList();
    }

    /** Visits every expression of this block (not of its derived tables or subqueries). */
    void forEachExpr(Consumer<Expr> visitor) {
        for (Relation r : from) {
            if (r.on() != null) {
                visitor.accept(r.on());
            }
        }
        if (where != null) {
            visitor.accept(where);
        }
        groupBy.forEach(visitor);
        if (having != null) {
            visitor.accept(having);
        }
        outputs.forEach(o -> visitor.accept(o.expr()));
        orderBy.forEach(o -> visitor.accept(o.expr()));
    }

    /**
     * A relation, resolved: its index, exposed name, table, and join (ON bound). A derived table has a
     * synthetic {@link TableInfo} (its database is the one database its query reads, or a
     * {@link #FEDERATED} name when it reads several) and its bound query in {@code derived}.
     */
    public record Relation(int index, String name, TableInfo table, SelectQuery.JoinKind kind, @Nullable Expr on,
            @Nullable BoundBody derived) {

        /** The prefix of the database name of a derived table that spans databases. */
        public static final String FEDERATED = "(federated)";

        /** The database this relation's table lives in. */
        public String database() {
            return table.database();
        }

        /** Whether this is a derived table whose query spans databases. */
        public boolean federated() {
            return table.database().startsWith(FEDERATED);
        }

        Relation withOn(@Nullable Expr newOn) {
            return new Relation(index, name, table, kind, newOn, derived);
        }
    }

    /** One output column: its name and bound expression. */
    public record Output(String name, Expr expr) {
    }

    /** One ORDER BY key, bound. */
    public record Order(Expr expr, boolean descending, boolean nullsFirst) {
    }
}
