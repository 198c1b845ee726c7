package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The correlation of a subquery with its enclosing block, split out of the subquery's WHERE: the
 * conjuncts of the subquery alone, and equalities {@code outer = inner} between an expression of the
 * enclosing block and one of the subquery, the keys to decorrelate it by.
 */
record Correlation(@Nullable Expr where, List<Expr> outer, List<Expr> inner) {

    /**
     * Splits the correlation of {@code q} with block {@code b} out of {@code q}'s WHERE; {@code null} when
     * its WHERE is not correlated.
     *
     * @throws UnsupportedSqlException if a correlated conjunct is not such an equality
     */
    static @Nullable Correlation of(BoundQuery q, BoundQuery b, BoundQuery statement) {
        BitSet range = range(q);
        BitSet parent = new BitSet();
        b.from().forEach(r -> parent.set(r.index()));
        List<Expr> keep = new ArrayList<>();
        List<Expr> outer = new ArrayList<>();
        List<Expr> inner = new ArrayList<>();
        for (Expr w : Expr.conjuncts(q.where())) {
            if (!outside(Refs.of(w), range)) {
                keep.add(w);
                continue;
            }
            if (!(w instanceof Expr.Binary eq && eq.op() == Expr.BinaryOp.EQ)) {
                throw unsupported(w, "other than an equality", statement);
            }
            BitSet l = Refs.of(eq.left());
            BitSet r = Refs.of(eq.right());
            if (Refs.subset(l, parent) && !l.isEmpty() && Refs.subset(r, range) && !r.isEmpty()) {
                outer.add(eq.left());
                inner.add(eq.right());
            } else if (Refs.subset(r, parent) && !r.isEmpty() && Refs.subset(l, range) && !l.isEmpty()) {
                outer.add(eq.right());
                inner.add(eq.left());
            } else {
                throw unsupported(w, "other than an equality between an outer and an inner column", statement);
            }
        }
        return outer.isEmpty() ? null : new Correlation(Expr.and(keep), outer, inner);
    }

    /** The relations of {@code q} and of the queries nested in it. */
    static BitSet range(BoundQuery q) {
        BitSet range = new BitSet();
        range.set(q.firstRelation(), q.endRelation());
        return range;
    }

    /** Whether {@code refs} names a relation outside {@code range}. */
    static boolean outside(BitSet refs, BitSet range) {
        return !Refs.subset(refs, range);
    }

    /** The error for a correlation that cannot be decorrelated: {@code what} it is, and the expression. */
    static UnsupportedSqlException unsupported(@Nullable Expr e, String what, BoundQuery statement) {
        return new UnsupportedSqlException("correlated subquery condition " + what
                + (e == null ? "" : " (" + ExprText.of(e, statement) + ")") + " in a query across databases", 0, 0,
                "Across databases a subquery may refer to the outer query only in WHERE equalities (inner.col = outer.col)"
                        + " of an [NOT] EXISTS, IN or aggregate scalar subquery; or put its tables in the outer table's"
                        + " database");
    }
}
