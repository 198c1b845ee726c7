package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decorrelates the correlated scalar subqueries of one block that spans databases. A subquery
 * {@code (SELECT f(AGG1(..), AGG2(..)) FROM t WHERE t.k = outer.k AND rest)} becomes the relation
 * {@code (SELECT t.k, AGG1(..), AGG2(..) FROM t WHERE rest GROUP BY t.k)}, LEFT-joined to the block on
 * {@code outer.k = k}, and the subquery's value becomes {@code f(a1, a2)} over that relation's columns, with
 * {@code COUNT}s read through {@code COALESCE(count, 0)}: an outer row without a group (its key has no match,
 * or is NULL) gets what SQL gives an empty subquery, 0 for a COUNT and NULL for the other aggregates. One
 * group per key, so the join keeps the block's rows as they are.
 *
 * <p>In the select list, HAVING or ORDER BY of a grouped block, the correlation keys must be GROUP BY
 * expressions: the subquery has one value per group, and the block groups by its columns as well.
 *
 * <p>Only aggregate subqueries without GROUP BY, HAVING, LIMIT or OFFSET, correlated by WHERE equalities
 * (and referring to the outer block elsewhere only outside their aggregates), are decorrelated; the others
 * get an {@link UnsupportedSqlException}.
 */
final class ScalarDecorrelation {

    private final PlanContext ctx;
    private final BoundQuery block;
    private final Map<BoundBody, Expr> values = new IdentityHashMap<>();
    private final List<BoundQuery.Relation> joined = new ArrayList<>();
    private final List<Expr> perGroup = new ArrayList<>();

    ScalarDecorrelation(PlanContext ctx, BoundQuery block) {
        this.ctx = ctx;
        this.block = block;
    }

    /** The relations made so far, each a LEFT JOIN to the block with its ON condition. */
    List<BoundQuery.Relation> joined() {
        return joined;
    }

    /**
     * The columns of the relations decorrelated from a grouped block's select list, HAVING or ORDER BY: one
     * value per group (its correlation keys are GROUP BY expressions), so the block groups by them too.
     */
    List<Expr> groupedColumns() {
        return perGroup;
    }

    /** Whether {@code e} has a correlated scalar subquery (not counting those nested in other subqueries). */
    static boolean applies(Expr e) {
        boolean[] found = {false};
        e.forEach(x -> found[0] |= x instanceof Expr.ScalarSubquery s && !Refs.outer((BoundBody) s.query()).isEmpty());
        return found[0];
    }

    /**
     * {@code e} with each correlated scalar subquery replaced by its value over a joined relation (the same
     * subquery, the same relation).
     *
     * @throws UnsupportedSqlException if one of them cannot be decorrelated
     */
    Expr rewrite(Expr e) {
        return rewrite(e, null);
    }

    /**
     * {@link #rewrite(Expr)} for an expression computed per group of a block grouped by {@code groupBy}:
     * the correlation keys must be GROUP BY expressions.
     */
    Expr rewrite(Expr e, @Nullable List<Expr> groupBy) {
        if (!applies(e)) {
            return e;
        }
        return e.rewrite(x -> {
            if (x instanceof Expr.ScalarSubquery s && !Refs.outer((BoundBody) s.query()).isEmpty()) {
                Expr value = values.get((BoundBody) s.query());
                if (value == null) {
                    value = decorrelate((BoundBody) s.query(), groupBy);
                    values.put((BoundBody) s.query(), value);
                }
                return value;
            }
            return x;
        });
    }

    private Expr decorrelate(BoundBody body, @Nullable List<Expr> groupBy) {
        if (!(body instanceof BoundQuery q)) {
            throw refused("a correlated UNION as a scalar subquery");
        }
        if (!q.aggregated() || !q.groupBy().isEmpty() || q.having() != null || q.limit() != null
                || q.offset() != null) {
            throw refused("a correlated scalar subquery that is not one aggregate without GROUP BY, HAVING or LIMIT");
        }
        BitSet range = Correlation.range(q);
        for (BoundQuery.Relation r : q.from()) {
            if (r.on() != null && Correlation.outside(Refs.of(r.on()), range)
                    || r.derived() != null && Correlation.outside(Refs.outer(r.derived()), range)) {
                throw Correlation.unsupported(null, "in a join or derived table of a scalar subquery", ctx.query);
            }
        }
        Expr output = q.outputs().get(0).expr();
        List<Expr.Agg> calls = new ArrayList<>();
        output.forEach(x -> {
            if (x instanceof Expr.Agg a && !calls.contains(a)) {
                if (Correlation.outside(Refs.of(a), range)) {
                    throw Correlation.unsupported(a, "inside an aggregate", ctx.query);
                }
                calls.add(a);
            }
        });
        Correlation c = Correlation.of(q, block, ctx.query);
        if (c == null) {
            throw refused("a scalar subquery correlated outside its WHERE");
        }
        if (groupBy != null && !groupBy.containsAll(c.outer())) {
            throw refused("a correlated scalar subquery of a grouped query whose correlation is not on GROUP BY"
                    + " expressions");
        }
        List<BoundQuery.Output> outputs = new ArrayList<>();
        for (int i = 0; i < c.inner().size(); i++) {
            outputs.add(new BoundQuery.Output("k" + (i + 1), c.inner().get(i)));
        }
        for (int i = 0; i < calls.size(); i++) {
            outputs.add(new BoundQuery.Output("a" + (i + 1), calls.get(i)));
        }
        BoundQuery grouped = q.grouped(c.where(), c.inner(), outputs);
        BoundQuery.Relation r = ctx.query.register("subquery",
                DerivedTables.table("subquery", grouped, ctx.query.relations()), grouped, SelectQuery.JoinKind.LEFT,
                index -> {
                    List<Expr> on = new ArrayList<>();
                    for (int i = 0; i < c.outer().size(); i++) {
                        on.add(new Expr.Binary(Expr.BinaryOp.EQ, c.outer().get(i), new Expr.Ref(index, i)));
                    }
                    return Expr.and(on);
                });
        joined.add(r);
        int keys = c.inner().size();
        if (groupBy != null) {
            for (int i = 0; i < keys + calls.size(); i++) {
                perGroup.add(new Expr.Ref(r.index(), i));
            }
        }
        return output.rewrite(x -> {
            if (x instanceof Expr.Agg a) {
                Expr column = new Expr.Ref(r.index(), keys + calls.indexOf(a));
                return a.function().equals("COUNT")
                        ? new Expr.Call("COALESCE", List.of(column, new Expr.Literal(0L))) : column;
            }
            return x;
        });
    }

    private static UnsupportedSqlException refused(String what) {
        return new UnsupportedSqlException(what + ", in a query across databases", 0, 0,
                "Across databases a correlated scalar subquery must be one aggregate (COUNT, SUM, AVG, MIN, MAX) over"
                        + " rows matched by WHERE equalities with the outer query; or put its tables in the outer"
                        + " table's database");
    }
}
