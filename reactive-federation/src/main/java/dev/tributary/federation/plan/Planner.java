package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Plans a {@link BoundQuery}: pure computation over the catalog snapshot. A query over one database
 * becomes one fragment carrying the whole query. Otherwise each SELECT block goes through the phases, each
 * a class of its own: {@link SubqueryPlanner} turns its subqueries into semi joins or subplans, and
 * {@link ScalarDecorrelation} its correlated scalar subqueries into LEFT-joined aggregates;
 * {@link PredicateNormalizer} regroups its WHERE and adds the predicates it implies;
 * {@link FragmentFormation} pushes its predicates down and makes each maximal group of same-database tables
 * joined to each other one fragment; {@link JoinOrder} orders the joins between fragments and
 * {@link JoinChoices} makes each a hash join (build side, dynamic filter); this class adds the block's
 * aggregation and finish; {@link Layout} at last gives every node its columns.
 */
public final class Planner {

    private final PlanContext ctx;
    private final JoinChoices choices;
    private final FragmentFormation formation;
    private final SubqueryPlanner subqueries;
    private final PredicateNormalizer normalizer;

    private Planner(BoundQuery query, Catalog catalog, int dynamicFilterMaxKeys) {
        this.ctx = new PlanContext(query, catalog, dynamicFilterMaxKeys);
        this.choices = new JoinChoices(ctx);
        this.formation = new FragmentFormation(ctx, choices, this::derived);
        this.subqueries = new SubqueryPlanner(ctx, this::body);
        this.normalizer = new PredicateNormalizer(query.relations());
    }

    /** Plans the query; {@code dynamicFilterMaxKeys} 0 disables dynamic filtering. */
    public static PhysicalPlan plan(BoundQuery query, Catalog catalog, int dynamicFilterMaxKeys) {
        return new Planner(query, catalog, dynamicFilterMaxKeys).run();
    }

    private PhysicalPlan run() {
        BoundQuery query = ctx.query;
        PhysicalNode root = block(query, null);
        Layout layout = new Layout();
        for (PhysicalPlan.Subplan s : ctx.subplans) {
            layout.assign(s.root());
        }
        layout.assign(root);
        boolean whole = root instanceof PhysicalNode.Fragment f && f.whole == query;
        return new PhysicalPlan(query, root, whole, ctx.subplans);
    }

    /** The plan of a derived table that no fragment reads. */
    private PhysicalNode derived(BoundQuery.Relation r) {
        return body(r.derived(), r);
    }

    /** The plan of a query producing the rows of relation {@code as}. */
    private PhysicalNode body(BoundBody body, BoundQuery.Relation as) {
        return body instanceof BoundSet set ? union(set, as) : block((BoundQuery) body, as);
    }

    /**
     * Plans one SELECT block. {@code as} is the derived relation whose rows it produces (its layout is that
     * relation's columns), or {@code null} for the statement or a subplan (its layout is its output expressions).
     */
    private PhysicalNode block(BoundQuery b, BoundQuery.@Nullable Relation as) {
        List<Expr> layout = new ArrayList<>();
        if (as == null) {
            b.outputs().forEach(o -> layout.add(o.expr()));
        } else {
            for (int i = 0; i < b.outputs().size(); i++) {
                layout.add(new Expr.Ref(as.index(), i));
            }
        }
        BitSet rels = new BitSet();
        if (as != null) {
            rels.set(as.index());
        } else {
            b.from().forEach(r -> rels.set(r.index()));
        }
        String single = DerivedTables.database(b, ctx.query.relations());
        if (single != null && Pushdown.body(b, ctx.catalog.dialect(single), ctx.query.relations())) {
            return whole(b, layout, rels);
        }
        SubqueryPlanner.Where where = subqueries.where(b);
        BoundQuery mapped = b.map(e -> subqueries.value(e, b, where));
        List<Expr> perGroup = where.scalars().groupedColumns();
        BoundQuery block = perGroup.isEmpty() ? mapped : mapped.alsoGroupedBy(perGroup);
        List<BoundQuery.Relation> from = new ArrayList<>(b.from());
        List<List<Expr>> ons = new ArrayList<>();
        for (BoundQuery.Relation r : b.from()) {
            ons.add(Expr.conjuncts(r.on() == null ? null : subqueries.precompute(r.on())));
        }
        boolean outerJoins = b.from().stream().anyMatch(r -> r.kind() == SelectQuery.JoinKind.LEFT
                || r.kind() == SelectQuery.JoinKind.RIGHT || r.kind() == SelectQuery.JoinKind.FULL);
        List<Expr> facts = new ArrayList<>();
        if (!outerJoins) {
            ons.forEach(facts::addAll);
        }
        for (BoundQuery.Relation r : where.scalars().joined()) {
            from.add(r);
            ons.add(Expr.conjuncts(r.on()));
        }
        PhysicalNode node = formation.from(from, ons, normalizer.normalize(where.conjuncts(), facts));
        for (SubqueryPlanner.Semi semi : where.semis()) {
            PhysicalNode right = formation.leaf(semi.relation(), List.of());
            List<Expr> on = new ArrayList<>();
            for (int i = 0; i < semi.outer().size(); i++) {
                on.add(new Expr.Binary(Expr.BinaryOp.EQ, semi.outer().get(i), semi.inner().get(i)));
            }
            node = choices.hashJoin(semi.type(), node, right, on);
        }
        if (block.aggregated()) {
            node = aggregate(block, node);
        }
        double estimate = node.estimate();
        if (block.limit() instanceof Expr.Literal lit && lit.value() instanceof Number n) {
            estimate = Math.min(estimate, n.doubleValue());
        }
        return new PhysicalNode.Finish(node, block, layout, rels, estimate);
    }

    /** A block of one database that computes it as PostgreSQL would: one fragment carrying all of it. */
    private PhysicalNode whole(BoundQuery b, List<Expr> layout, BitSet rels) {
        PhysicalNode.Fragment f = ctx.fragment(PhysicalNode.tree(b.from()));
        f.whole = b;
        f.outputs.addAll(layout);
        f.relations.clear();
        f.relations.or(rels);
        f.estimate = Estimates.fragment(f) * Estimates.selectivity(Expr.conjuncts(b.where()));
        if (b.aggregated()) {
            f.estimate = b.groupBy().isEmpty() ? 1 : Math.max(1, f.estimate / 10);
        }
        if (b.limit() instanceof Expr.Literal lit && lit.value() instanceof Number n) {
            f.estimate = Math.min(f.estimate, n.doubleValue());
        }
        return f;
    }

    /** Hash aggregation of a block's rows, then its HAVING. */
    private PhysicalNode aggregate(BoundQuery block, PhysicalNode input) {
        List<Expr.Agg> calls = new ArrayList<>();
        block.outputs().forEach(o -> aggregates(o.expr(), calls));
        if (block.having() != null) {
            aggregates(block.having(), calls);
        }
        block.orderBy().forEach(o -> aggregates(o.expr(), calls));
        List<Expr> aggLayout = new ArrayList<>(block.groupBy());
        aggLayout.addAll(calls);
        double estimate = block.groupBy().isEmpty() ? 1 : Math.max(1, input.estimate() / 10);
        PhysicalNode node = new PhysicalNode.Aggregate(input, block.groupBy(), calls, aggLayout, estimate);
        if (block.having() != null) {
            node = formation.filter(node, Expr.conjuncts(block.having()));
        }
        return node;
    }

    private static void aggregates(Expr e, List<Expr.Agg> into) {
        e.forEach(x -> {
            if (x instanceof Expr.Agg a && !into.contains(a)) {
                into.add(a);
            }
        });
    }

    /** Plans a UNION [ALL] producing the rows of derived relation {@code as}. */
    private PhysicalNode union(BoundSet set, BoundQuery.Relation as) {
        List<PhysicalNode> inputs = new ArrayList<>();
        addUnionInput(set.left(), set.all(), as, inputs);
        addUnionInput(set.right(), set.all(), as, inputs);
        List<Expr> layout = new ArrayList<>();
        for (int i = 0; i < set.columnNames().size(); i++) {
            layout.add(new Expr.Ref(as.index(), i));
        }
        BitSet rels = new BitSet();
        rels.set(as.index());
        double estimate = inputs.stream().mapToDouble(PhysicalNode::estimate).sum();
        return new PhysicalNode.Union(inputs, set.all(), layout, rels, estimate);
    }

    private void addUnionInput(BoundBody body, boolean all, BoundQuery.Relation as, List<PhysicalNode> inputs) {
        if (body instanceof BoundSet s && s.all() == all) {
            addUnionInput(s.left(), all, as, inputs);
            addUnionInput(s.right(), all, as, inputs);
        } else if (body instanceof BoundSet s) {
            inputs.add(union(s, as));
        } else {
            inputs.add(block((BoundQuery) body, as));
        }
    }
}
