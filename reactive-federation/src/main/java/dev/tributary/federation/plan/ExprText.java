package dev.tributary.federation.plan;

import dev.tributary.federation.sql.Expr;
import java.util.stream.Collectors;

/** Readable SQL-like text of a bound expression, for plans and error messages. */
final class ExprText {

    private ExprText() {
    }

    static String of(Expr e, BoundQuery q) {
        if (e instanceof Expr.Ref r) {
            BoundQuery.Relation rel = q.relations().get(r.relation());
            return rel.name() + "." + rel.table().columns().get(r.column()).name();
        } else if (e instanceof Expr.Literal l) {
            Object v = l.value();
            return v == null ? "NULL" : v instanceof CharSequence ? "'" + v + "'" : v.toString();
        } else if (e instanceof Expr.Param p) {
            return p.toString();
        } else if (e instanceof Expr.Binary b) {
            return wrap(b.left(), q) + " " + b.op().sql() + " " + wrap(b.right(), q);
        } else if (e instanceof Expr.Not n) {
            return "NOT " + wrap(n.operand(), q);
        } else if (e instanceof Expr.Negate n) {
            return "-" + wrap(n.operand(), q);
        } else if (e instanceof Expr.IsNull n) {
            return wrap(n.operand(), q) + (n.negated() ? " IS NOT NULL" : " IS NULL");
        } else if (e instanceof Expr.InList in) {
            return wrap(in.operand(), q) + (in.negated() ? " NOT IN (" : " IN (")
                    + in.values().stream().map(v -> of(v, q)).collect(Collectors.joining(", ")) + ")";
        } else if (e instanceof Expr.Between b) {
            return wrap(b.operand(), q) + (b.negated() ? " NOT BETWEEN " : " BETWEEN ") + wrap(b.low(), q) + " AND "
                    + wrap(b.high(), q);
        } else if (e instanceof Expr.Like l) {
            return wrap(l.operand(), q) + (l.negated() ? " NOT LIKE " : " LIKE ") + wrap(l.pattern(), q)
                    + (l.escape() == null ? "" : " ESCAPE " + of(l.escape(), q));
        } else if (e instanceof Expr.Case c) {
            StringBuilder sb = new StringBuilder("CASE");
            if (c.operand() != null) {
                sb.append(' ').append(of(c.operand(), q));
            }
            for (Expr.When w : c.whens()) {
                sb.append(" WHEN ").append(of(w.condition(), q)).append(" THEN ").append(of(w.result(), q));
            }
            if (c.otherwise() != null) {
                sb.append(" ELSE ").append(of(c.otherwise(), q));
            }
            return sb.append(" END").toString();
        } else if (e instanceof Expr.Call || e instanceof Expr.Cast) {
            return Functions.text(e, x -> wrap(x, q));
        } else if (e instanceof Expr.Agg a) {
            return a.function() + "(" + (a.arg() == null ? "*" : (a.distinct() ? "DISTINCT " : "") + of(a.arg(), q)) + ")";
        } else if (e instanceof Expr.ScalarSubquery) {
            return "(subquery)";
        } else if (e instanceof Expr.Exists) {
            return "EXISTS (subquery)";
        } else if (e instanceof Expr.InSubquery in) {
            return wrap(in.operand(), q) + (in.negated() ? " NOT IN (subquery)" : " IN (subquery)");
        }
        return e.toString();
    }

    private static String wrap(Expr e, BoundQuery q) {
        boolean composite = e instanceof Expr.Binary || e instanceof Expr.IsNull || e instanceof Expr.InList
                || e instanceof Expr.Between || e instanceof Expr.Like || e instanceof Expr.Not;
        return composite ? "(" + of(e, q) + ")" : of(e, q);
    }
}
