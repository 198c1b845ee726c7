package dev.tributary.federation.plan;

import dev.tributary.federation.sql.Expr;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/** Which relations and columns an expression or a query refers to: the questions every planning phase asks. */
final class Refs {

    private Refs() {
    }

    /** The relations an expression refers to, including the outer references of its subqueries. */
    static BitSet of(Expr e) {
        BitSet rels = new BitSet();
        e.forEach(x -> {
            if (x instanceof Expr.Ref r) {
                rels.set(r.relation());
            } else if (x instanceof Expr.ScalarSubquery s) {
                rels.or(outer((BoundBody) s.query()));
            } else if (x instanceof Expr.Exists s) {
                rels.or(outer((BoundBody) s.query()));
            } else if (x instanceof Expr.InSubquery s) {
                rels.or(outer((BoundBody) s.query()));
            }
        });
        return rels;
    }

    /** The relations outside a query that it refers to: its correlation. */
    static BitSet outer(BoundBody body) {
        BitSet rels = new BitSet();
        if (body instanceof BoundSet s) {
            rels.or(outer(s.left()));
            rels.or(outer(s.right()));
        } else {
            BoundQuery q = (BoundQuery) body;
            q.forEachExpr(e -> rels.or(of(e)));
            for (BoundQuery.Relation r : q.from()) {
                if (r.derived() != null) {
                    rels.or(outer(r.derived()));
                }
            }
        }
        rels.clear(body.firstRelation(), body.endRelation());
        return rels;
    }

    /** Adds the column references of {@code e} to {@code into}. */
    static void collectColumns(Expr e, Set<Expr> into) {
        e.forEach(x -> {
            if (x instanceof Expr.Ref) {
                into.add(x);
            }
        });
    }

    /** Whether {@code e} refers to at least one relation, all of them in {@code rels}. */
    static boolean within(Expr e, BitSet rels) {
        BitSet r = of(e);
        return !r.isEmpty() && subset(r, rels);
    }

    static boolean subset(BitSet a, BitSet b) {
        BitSet x = (BitSet) a.clone();
        x.andNot(b);
        return x.isEmpty();
    }

    /** Whether {@code e} contains a scalar, EXISTS or IN subquery. */
    static boolean hasSubquery(Expr e) {
        boolean[] found = {false};
        e.forEach(x -> found[0] |= x instanceof Expr.ScalarSubquery || x instanceof Expr.Exists
                || x instanceof Expr.InSubquery);
        return found[0];
    }

    /** Adds the bodies of the subqueries of {@code e} to {@code into}. */
    static void subqueries(Expr e, List<BoundBody> into) {
        e.forEach(x -> {
            if (x instanceof Expr.ScalarSubquery s) {
                into.add((BoundBody) s.query());
            } else if (x instanceof Expr.Exists s) {
                into.add((BoundBody) s.query());
            } else if (x instanceof Expr.InSubquery s) {
                into.add((BoundBody) s.query());
            }
        });
    }
}
