package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.sql.Expr;
import java.util.List;

/**
 * What a database may compute for a federated query: everything, except where its answer would differ from
 * PostgreSQL's, whose semantics federation follows. H2 and MariaDB divide decimals and compute {@code AVG}
 * with their own precision (MariaDB: 4 more decimal places; H2: its own scale, {@code DOUBLE} for integer
 * averages), so a block with such an expression is not sent to them whole and such a condition stays in
 * memory; MariaDB cannot resolve a GROUP BY expression over columns inside HAVING, so such a block is
 * aggregated in memory.
 */
final class Pushdown {

    private Pushdown() {
    }

    /** Whether {@code dialect} computes {@code e} (subqueries included) as PostgreSQL does. */
    static boolean expr(Expr e, Dialect dialect, List<BoundQuery.Relation> relations) {
        if (dialect == Dialect.POSTGRESQL) {
            return true;
        }
        boolean[] ok = {true};
        e.forEach(x -> {
            if (!ok[0]) {
                return;
            }
            if (x instanceof Expr.Binary b && b.op() == Expr.BinaryOp.DIV
                    && !(integral(b.left(), relations) && integral(b.right(), relations))) {
                ok[0] = false;
            } else if (x instanceof Expr.Agg a && a.function().equals("AVG")) {
                ok[0] = false;
            } else if (x instanceof Expr.ScalarSubquery s) {
                ok[0] = body((BoundBody) s.query(), dialect, relations);
            } else if (x instanceof Expr.Exists s) {
                ok[0] = body((BoundBody) s.query(), dialect, relations);
            } else if (x instanceof Expr.InSubquery s) {
                ok[0] = body((BoundBody) s.query(), dialect, relations);
            }
        });
        return ok[0];
    }

    /** Whether {@code dialect} runs the whole query {@code body} as PostgreSQL would. */
    static boolean body(BoundBody body, Dialect dialect, List<BoundQuery.Relation> relations) {
        if (dialect == Dialect.POSTGRESQL) {
            return true;
        }
        if (body instanceof BoundSet s) {
            return body(s.left(), dialect, relations) && body(s.right(), dialect, relations);
        }
        BoundQuery q = (BoundQuery) body;
        if (dialect == Dialect.MARIADB && q.having() != null
                && q.groupBy().stream().anyMatch(g -> !(g instanceof Expr.Ref))) {
            return false;
        }
        boolean[] ok = {true};
        q.forEachExpr(e -> ok[0] &= expr(e, dialect, relations));
        for (BoundQuery.Relation r : q.from()) {
            if (r.derived() != null) {
                ok[0] &= body(r.derived(), dialect, relations);
            }
        }
        return ok[0];
    }

    /** Whether an expression is of an integer type (as far as the catalog and literals tell). */
    static boolean integral(Expr e, List<BoundQuery.Relation> relations) {
        if (e instanceof Expr.Ref ref) {
            Class<?> t = relations.get(ref.relation()).table().columns().get(ref.column()).javaType();
            return t == Integer.class || t == Long.class || t == Short.class || t == Byte.class;
        }
        if (e instanceof Expr.Literal lit) {
            return lit.value() instanceof Integer || lit.value() instanceof Long;
        }
        if (e instanceof Expr.Negate n) {
            return integral(n.operand(), relations);
        }
        if (e instanceof Expr.Binary b && b.op().isArithmetic()) {
            return integral(b.left(), relations) && integral(b.right(), relations);
        }
        if (e instanceof Expr.Agg a) {
            // PostgreSQL: SUM of smallint or integer is a bigint, SUM of a bigint a numeric
            return a.function().equals("COUNT")
                    || a.function().equals("SUM") && narrowIntegral(a.arg(), relations)
                    || (a.function().equals("MIN") || a.function().equals("MAX")) && integral(a.arg(), relations);
        }
        return false;
    }

    /** Whether an expression is a {@code smallint} or {@code integer} (as far as the catalog and literals tell). */
    private static boolean narrowIntegral(Expr e, List<BoundQuery.Relation> relations) {
        if (e instanceof Expr.Ref ref) {
            Class<?> t = relations.get(ref.relation()).table().columns().get(ref.column()).javaType();
            return t == Integer.class || t == Short.class || t == Byte.class;
        }
        if (e instanceof Expr.Literal lit) {
            return lit.value() instanceof Integer;
        }
        if (e instanceof Expr.Negate n) {
            return narrowIntegral(n.operand(), relations);
        }
        if (e instanceof Expr.Binary b && b.op().isArithmetic()) {
            return narrowIntegral(b.left(), relations) && narrowIntegral(b.right(), relations);
        }
        if (e instanceof Expr.Agg a) {
            return (a.function().equals("MIN") || a.function().equals("MAX")) && narrowIntegral(a.arg(), relations);
        }
        return false;
    }
}
