package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The subqueries of a block that spans databases: a conjunct whose subqueries and one outer table share a
 * database stays SQL for that fragment; an [NOT] EXISTS or [NOT] IN conjunct becomes a semi, anti or NOT IN
 * join with the subquery as a relation, its correlation equalities as join keys; any other uncorrelated
 * subquery becomes a subplan run first, whose value is bound as a parameter.
 */
final class SubqueryPlanner {

    private final PlanContext ctx;
    private final BiFunction<BoundBody, BoundQuery.Relation, PhysicalNode> body;

    /** {@code body} plans a query producing the rows of a relation. */
    SubqueryPlanner(PlanContext ctx, BiFunction<BoundBody, BoundQuery.Relation, PhysicalNode> body) {
        this.ctx = ctx;
        this.body = body;
    }

    /** A semi, anti or NOT IN join of a block with a subquery relation: {@code outer[i] = inner[i]}. */
    record Semi(JoinType type, BoundQuery.Relation relation, List<Expr> outer, List<Expr> inner) {
    }

    /**
     * A block's WHERE, split: the conjuncts to filter with (subqueries precomputed or decorrelated), the semi
     * joins, and the decorrelation of the block's scalar subqueries (its relations to LEFT JOIN).
     */
    record Where(List<Expr> conjuncts, List<Semi> semis, ScalarDecorrelation scalars) {
    }

    /** Splits the WHERE of block {@code b}. */
    Where where(BoundQuery b) {
        List<Expr> conjuncts = new ArrayList<>();
        List<Semi> semis = new ArrayList<>();
        ScalarDecorrelation scalars = new ScalarDecorrelation(ctx, b);
        for (Expr c : Expr.conjuncts(b.where())) {
            if (!Refs.hasSubquery(c) || pushable(c, b)) {
                conjuncts.add(c);
                continue;
            }
            Semi semi = semi(c, b);
            if (semi != null) {
                semis.add(semi);
            } else {
                conjuncts.add(precompute(scalars.rewrite(c)));
            }
        }
        return new Where(conjuncts, semis, scalars);
    }

    /**
     * An expression of block {@code b} outside WHERE (select list, GROUP BY, HAVING, ORDER BY) with its
     * subqueries planned: correlated scalar ones decorrelated (in a grouped block, by GROUP BY expressions only),
     * the others precomputed.
     *
     * @throws UnsupportedSqlException for a correlated subquery that stays correlated
     */
    Expr value(Expr e, BoundQuery b, Where where) {
        return precompute(where.scalars().rewrite(e, b.aggregated() ? b.groupBy() : null));
    }

    /**
     * Whether a conjunct with subqueries can go to a fragment as SQL: its subqueries and the one relation of
     * this block it refers to all live in one database, and no outer join could keep it from that fragment.
     */
    private boolean pushable(Expr c, BoundQuery b) {
        if (b.from().stream().anyMatch(r -> r.kind() == SelectQuery.JoinKind.LEFT
                || r.kind() == SelectQuery.JoinKind.RIGHT || r.kind() == SelectQuery.JoinKind.FULL)) {
            return false;
        }
        List<BoundBody> bodies = new ArrayList<>();
        Refs.subqueries(c, bodies);
        Set<String> dbs = new LinkedHashSet<>();
        for (BoundBody body : bodies) {
            String db = DerivedTables.database(body, ctx.query.relations());
            if (db == null) {
                return false;
            }
            dbs.add(db);
        }
        BitSet outer = Refs.of(c);
        if (dbs.size() != 1 || outer.cardinality() != 1) {
            return false;
        }
        BoundQuery.Relation r = ctx.relation(outer.nextSetBit(0));
        return b.from().contains(r) && ctx.inFragment(r) && dbs.contains(r.database())
                && Pushdown.expr(c, ctx.catalog.dialect(r.database()), ctx.query.relations());
    }

    /** The semi, anti or NOT IN join for an [NOT] EXISTS or [NOT] IN conjunct; {@code null} if it is none. */
    private @Nullable Semi semi(Expr c, BoundQuery b) {
        boolean anti = c instanceof Expr.Not n && n.operand() instanceof Expr.Exists;
        Expr x = anti ? ((Expr.Not) c).operand() : c;
        if (x instanceof Expr.Exists e && e.query() instanceof BoundQuery q) {
            Correlation d = decorrelate(q, b);
            if (d == null) {
                return null;
            }
            List<BoundQuery.Output> outputs = new ArrayList<>();
            for (int i = 0; i < d.inner().size(); i++) {
                outputs.add(new BoundQuery.Output("k" + (i + 1), d.inner().get(i)));
            }
            return semi(anti ? JoinType.ANTI : JoinType.SEMI, q.with(d.where(), outputs, false), d.outer());
        }
        if (x instanceof Expr.InSubquery in) {
            BoundBody body = (BoundBody) in.query();
            List<Expr> outer = new ArrayList<>();
            outer.add(precompute(in.operand()));
            if (body instanceof BoundQuery q) {
                Correlation d = decorrelate(q, b);
                if (d != null) {
                    if (in.negated()) {
                        throw new UnsupportedSqlException("correlated NOT IN (subquery) across databases", 0, 0,
                                "Rewrite it as NOT EXISTS with the equality inside the subquery");
                    }
                    List<BoundQuery.Output> outputs = new ArrayList<>(q.outputs().subList(0, 1));
                    for (int i = 0; i < d.inner().size(); i++) {
                        outputs.add(new BoundQuery.Output("k" + (i + 1), d.inner().get(i)));
                    }
                    body = q.with(d.where(), outputs, q.distinct());
                    outer.addAll(d.outer());
                }
            } else if (!Refs.outer(body).isEmpty()) {
                throw new UnsupportedSqlException("correlated UNION subquery across databases", 0, 0,
                        "Only uncorrelated UNION subqueries can be planned across databases");
            }
            return semi(in.negated() ? JoinType.NOT_IN : JoinType.SEMI, body, outer);
        }
        return null;
    }

    private Semi semi(JoinType type, BoundBody body, List<Expr> outer) {
        BoundQuery.Relation r = register(body);
        List<Expr> inner = new ArrayList<>();
        for (int i = 0; i < outer.size(); i++) {
            inner.add(new Expr.Ref(r.index(), i));
        }
        return new Semi(type, r, outer, inner);
    }

    /** Adds {@code body} to the statement's relations, as a derived table named {@code subquery}. */
    private BoundQuery.Relation register(BoundBody body) {
        return ctx.query.register("subquery", DerivedTables.table("subquery", body, ctx.query.relations()), body);
    }

    /**
     * Splits the correlation out of an [NOT] EXISTS or IN subquery; {@code null} when it is not correlated.
     *
     * @throws UnsupportedSqlException if it refers to the outer query outside WHERE equalities, or is correlated
     *     and aggregates or has a LIMIT
     */
    private @Nullable Correlation decorrelate(BoundQuery q, BoundQuery b) {
        BitSet range = Correlation.range(q);
        List<Expr> elsewhere = new ArrayList<>();
        q.outputs().forEach(o -> elsewhere.add(o.expr()));
        elsewhere.addAll(q.groupBy());
        q.orderBy().forEach(o -> elsewhere.add(o.expr()));
        if (q.having() != null) {
            elsewhere.add(q.having());
        }
        q.from().forEach(r -> {
            if (r.on() != null) {
                elsewhere.add(r.on());
            }
        });
        for (Expr e : elsewhere) {
            if (Correlation.outside(Refs.of(e), range)) {
                throw Correlation.unsupported(e, "outside WHERE", ctx.query);
            }
        }
        for (BoundQuery.Relation r : q.from()) {
            if (r.derived() != null && Correlation.outside(Refs.outer(r.derived()), range)) {
                throw Correlation.unsupported(null, "in a derived table", ctx.query);
            }
        }
        Correlation d = Correlation.of(q, b, ctx.query);
        if (d == null) {
            return null;
        }
        if (q.aggregated() || q.limit() != null || q.offset() != null) {
            throw Correlation.unsupported(null, "with an aggregate or LIMIT", ctx.query);
        }
        return d;
    }

    /** Replaces uncorrelated scalar and EXISTS subqueries by the parameters their subplans bind. */
    Expr precompute(Expr e) {
        if (!Refs.hasSubquery(e)) {
            return e;
        }
        return e.rewrite(x -> {
            if (x instanceof Expr.ScalarSubquery s) {
                return subplan((BoundBody) s.query(), false);
            }
            if (x instanceof Expr.Exists s) {
                return subplan((BoundBody) s.query(), true);
            }
            if (x instanceof Expr.InSubquery) {
                throw new UnsupportedSqlException("IN (subquery) inside OR, NOT or another expression, in a query"
                        + " across databases", 0, 0, "Use [NOT] IN (subquery) as a condition of its own, AND-ed in WHERE");
            }
            return x;
        });
    }

    private Expr subplan(BoundBody b, boolean exists) {
        if (!Refs.outer(b).isEmpty()) {
            throw new UnsupportedSqlException("correlated " + (exists ? "EXISTS" : "scalar subquery")
                    + " outside a WHERE condition of its own, in a query across databases", 0, 0,
                    "Across databases only uncorrelated subqueries can be used as values; use [NOT] EXISTS as a"
                            + " condition AND-ed in WHERE, or put the tables in one database");
        }
        String name = "#subquery" + (ctx.subplans.size() + 1);
        BoundQuery.Relation r = register(b);
        PhysicalNode root = body.apply(b, r);
        ctx.subplans.add(new PhysicalPlan.Subplan(name, exists, root));
        return new Expr.Param(-1, name);
    }
}
