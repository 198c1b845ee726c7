package dev.tributary.federation.plan;

import dev.tributary.federation.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a {@link PhysicalPlan} into the public, printable {@link Plan}. */
public final class Explain {

    private final PhysicalPlan plan;

    private Explain(PhysicalPlan plan) {
        this.plan = plan;
    }

    /** The plan as data. */
    public static Plan of(PhysicalPlan plan) {
        return Plan.of(new Explain(plan).root());
    }

    private Plan.Node root() {
        Plan.Node main = node(plan.root());
        if (plan.subplans().isEmpty()) {
            return main;
        }
        List<Plan.Node> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (PhysicalPlan.Subplan s : plan.subplans()) {
            inputs.add(node(s.root()));
            names.add(":" + s.param() + (s.exists() ? " = EXISTS" : " = value"));
        }
        inputs.add(main);
        return new Plan.Multi("Subqueries", "[" + String.join(", ", names) + "] then the main query",
                plan.root().estimate(), inputs);
    }

    private Plan.Node finish(PhysicalNode.Finish f) {
        BoundQuery q = f.block();
        Plan.Node node = node(f.input());
        double rows = f.estimate();
        String project = q.outputs().stream()
                .map(o -> ExprText.of(o.expr(), q) + " AS " + o.name()).collect(Collectors.joining(", "));
        if (q.distinct()) {
            node = new Plan.Operator("Project", "[" + project + "]", rows, node);
            node = new Plan.Operator("Distinct", "", rows, node);
        }
        if (!q.orderBy().isEmpty()) {
            String keys = q.orderBy().stream().map(o -> ExprText.of(o.expr(), q) + (o.descending() ? " DESC" : " ASC")
                    + (o.nullsFirst() ? " NULLS FIRST" : " NULLS LAST")).collect(Collectors.joining(", "));
            boolean topN = q.limit() != null;
            node = new Plan.Operator(topN ? "TopN" : "Sort", "[" + keys + "]" + limitText(q), rows, node);
        } else if (q.limit() != null || q.offset() != null) {
            node = new Plan.Operator("Limit", limitText(q).trim(), rows, node);
        }
        if (!q.distinct()) {
            node = new Plan.Operator("Project", "[" + project + "]", rows, node);
        }
        return node;
    }

    private static String limitText(BoundQuery q) {
        String s = "";
        if (q.limit() != null) {
            s += " limit " + ExprText.of(q.limit(), q);
        }
        if (q.offset() != null) {
            s += " offset " + ExprText.of(q.offset(), q);
        }
        return s;
    }

    private Plan.Node node(PhysicalNode n) {
        BoundQuery q = plan.query();
        if (n instanceof PhysicalNode.Fragment f) {
            FragmentSql sql = SqlRenderer.render(q, f);
            List<String> binds = new ArrayList<>();
            sql.binds().forEach(b -> binds.add(b.toString()));
            return new Plan.Fragment(f.id, f.database, f.dialect.name(), sql.sql(), binds,
                    f.dynamicFilters.isEmpty() ? null
                    : f.dynamicFilters.stream().map(PhysicalNode.DynamicFilter::join).collect(Collectors.joining(" and ")),
                    f.estimate);
        }
        if (n instanceof PhysicalNode.HashJoinNode j) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < j.leftKeys.size(); i++) {
                keys.add(ExprText.of(j.leftKeys.get(i), q) + " = " + ExprText.of(j.rightKeys.get(i), q));
            }
            return new Plan.Join(j.name, j.type.name(), keys, j.residual == null ? null : ExprText.of(j.residual, q),
                    j.buildLeft ? "LEFT" : "RIGHT", j.dynamicFilter, j.estimate, node(j.left), node(j.right));
        }
        if (n instanceof PhysicalNode.Finish f) {
            return finish(f);
        }
        if (n instanceof PhysicalNode.Aggregate a) {
            String detail = "group by [" + a.groupBy().stream().map(g -> ExprText.of(g, q)).collect(Collectors.joining(", "))
                    + "] compute [" + a.calls().stream().map(c -> ExprText.of(c, q)).collect(Collectors.joining(", ")) + "]";
            return new Plan.Operator("Aggregate", detail, a.estimate(), node(a.input()));
        }
        if (n instanceof PhysicalNode.Union u) {
            return new Plan.Multi(u.all() ? "UnionAll" : "Union", "", u.estimate(),
                    u.inputs().stream().map(this::node).toList());
        }
        PhysicalNode.Filter f = (PhysicalNode.Filter) n;
        return new Plan.Operator("Filter", ExprText.of(f.predicate(), q), f.estimate(), node(f.input()));
    }
}
