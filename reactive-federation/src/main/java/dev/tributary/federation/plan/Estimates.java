package dev.tributary.federation.plan;

import dev.tributary.federation.sql.Expr;
import java.util.List;

/** Row estimates: table statistics times textbook selectivities. */
final class Estimates {

    private Estimates() {
    }

    /** The estimated rows of a fragment: its largest table, filtered by the conjuncts on each table. */
    static double fragment(PhysicalNode.Fragment f) {
        return Math.max(1, from(f.from, f.where));
    }

    private static double from(PhysicalNode.From from, List<Expr> where) {
        if (from instanceof PhysicalNode.Leaf leaf) {
            double rows = leaf.relation().table().rowEstimate();
            for (Expr c : where) {
                var rels = Refs.of(c);
                if (rels.cardinality() == 1 && rels.get(leaf.relation().index())) {
                    rows *= selectivity(c);
                }
            }
            return rows;
        }
        PhysicalNode.Join j = (PhysicalNode.Join) from;
        double l = from(j.left(), where);
        double r = from(j.right(), j.on().isEmpty() ? where : concat(where, j.on()));
        return switch (j.type()) {
            case FULL -> l + r;
            case LEFT -> Math.max(l, r);
            case RIGHT -> Math.max(l, r);
            default -> Math.max(l, r);
        };
    }

    private static List<Expr> concat(List<Expr> a, List<Expr> b) {
        java.util.ArrayList<Expr> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The selectivity of a conjunction. */
    static double selectivity(List<Expr> conjuncts) {
        double s = 1;
        for (Expr c : conjuncts) {
            s *= selectivity(c);
        }
        return s;
    }

    /** The selectivity of one predicate, between 0 and 1. */
    static double selectivity(Expr e) {
        if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case AND -> selectivity(b.left()) * selectivity(b.right());
                case OR -> {
                    double l = selectivity(b.left());
                    double r = selectivity(b.right());
                    yield l + r - l * r;
                }
                case EQ -> 0.1;
                case NE -> 0.9;
                case LT, LE, GT, GE -> 0.3;
                default -> 0.5;
            };
        } else if (e instanceof Expr.Not n) {
            return 1 - selectivity(n.operand());
        } else if (e instanceof Expr.InList in) {
            double s = Math.min(0.5, 0.1 * in.values().size());
            return in.negated() ? 1 - s : s;
        } else if (e instanceof Expr.Between b) {
            return b.negated() ? 0.75 : 0.25;
        } else if (e instanceof Expr.Like l) {
            return l.negated() ? 0.75 : 0.25;
        } else if (e instanceof Expr.IsNull n) {
            return n.negated() ? 0.9 : 0.1;
        }
        return 0.5;
    }
}
