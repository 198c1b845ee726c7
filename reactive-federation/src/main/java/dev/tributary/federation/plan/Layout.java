package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The last planning phase, projection pushdown: walks a finished tree from the root and gives each fragment
 * the columns its parents need (sorted by relation and column, then computed expressions), each hash join
 * the layout of its inputs, and each fragment its number.
 */
final class Layout {

    private int fragments;

    /** Lays out {@code root} and everything under it; fragments are numbered on from the previous call. */
    void assign(PhysicalNode root) {
        assign(root, Set.of());
    }

    private void assign(PhysicalNode node, Set<Expr> needed) {
        if (node instanceof PhysicalNode.Filter f) {
            Set<Expr> more = new LinkedHashSet<>(needed);
            Refs.collectColumns(f.predicate(), more);
            assign(f.input(), more);
        } else if (node instanceof PhysicalNode.Finish f) {
            Set<Expr> more = new LinkedHashSet<>();
            f.block().outputs().forEach(o -> Refs.collectColumns(o.expr(), more));
            f.block().orderBy().forEach(o -> Refs.collectColumns(o.expr(), more));
            assign(f.input(), more);
        } else if (node instanceof PhysicalNode.Aggregate a) {
            Set<Expr> more = new LinkedHashSet<>();
            a.groupBy().forEach(g -> Refs.collectColumns(g, more));
            a.calls().forEach(c -> Refs.collectColumns(c, more));
            assign(a.input(), more);
        } else if (node instanceof PhysicalNode.Union u) {
            u.inputs().forEach(i -> assign(i, Set.of()));
        } else if (node instanceof PhysicalNode.HashJoinNode j) {
            Set<Expr> all = new LinkedHashSet<>(needed);
            if (j.residual != null) {
                Refs.collectColumns(j.residual, all);
            }
            assign(j.left, side(all, j.left, j.leftKeys));
            assign(j.right, side(all, j.right, j.rightKeys));
            j.layout.clear();
            j.layout.addAll(j.left.layout());
            if (!j.type.leftOnly()) {
                j.layout.addAll(j.right.layout());
            }
        } else if (node instanceof PhysicalNode.Fragment f) {
            fragment(f, needed);
        }
    }

    private void fragment(PhysicalNode.Fragment f, Set<Expr> needed) {
        f.id = ++fragments;
        if (f.whole != null) {
            return;
        }
        TreeSet<Expr.Ref> refs = new TreeSet<>((a, b) -> a.relation() != b.relation()
                ? Integer.compare(a.relation(), b.relation()) : Integer.compare(a.column(), b.column()));
        List<Expr> computed = new ArrayList<>();
        for (Expr e : needed) {
            if (e instanceof Expr.Ref r) {
                if (f.relations.get(r.relation())) {
                    refs.add(r);
                }
            } else if (!computed.contains(e)) {
                computed.add(e);
            }
        }
        f.outputs.clear();
        f.outputs.addAll(refs);
        f.outputs.addAll(computed);
        if (f.outputs.isEmpty()) {
            f.outputs.add(new Expr.Literal(1));
        }
    }

    private static Set<Expr> side(Set<Expr> needed, PhysicalNode child, List<Expr> keys) {
        Set<Expr> out = new LinkedHashSet<>();
        for (Expr e : needed) {
            if (e instanceof Expr.Ref r && child.relations().get(r.relation())) {
                out.add(e);
            }
        }
        for (Expr k : keys) {
            if (k instanceof Expr.Ref) {
                out.add(k);
            } else if (child instanceof PhysicalNode.Fragment) {
                out.add(k);
            } else {
                throw new UnsupportedSqlException("join key expression " + k + " over a joined result", 0, 0,
                        "Use a column as the join key");
            }
        }
        return out;
    }
}
