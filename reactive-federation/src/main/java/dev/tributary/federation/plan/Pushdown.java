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
        return integerBytes(e, relations) > 0;
    }

    /**
     * The width of an expression's integer type as PostgreSQL types it: 4 for {@code smallint}/{@code integer},
     * 8 for {@code bigint}, 0 when it is not (known to be) an integer.
     */
    private static int integerBytes(Expr e, List<BoundQuery.Relation> relations) {
        if (e instanceof Expr.Ref ref) {
            Class<?> t = relations.get(ref.relation()).table().columns().get(ref.column()).javaType();
            return t == Long.class ? 8 : t == Integer.class || t == Short.class || t == Byte.class ? 4 : 0;
        }
        if (e instanceof Expr.Literal lit) {
            return lit.value() instanceof Long ? 8 : lit.value() instanceof Integer ? 4 : 0;
        }
        if (e instanceof Expr.Negate n) {
            return integerBytes(n.operand(), relations);
        }
        if (e instanceof Expr.Binary b && b.op().isArithmetic()) {
            int left = integerBytes(b.left(), relations);
            int right = integerBytes(b.right(), relations);
            return left == 0 || right == 0 ? 0 : Math.max(left, right);
        }
        if (e instanceof Expr.Agg a) {
            return switch (a.function()) {
                case "COUNT" -> 8;
                case "SUM" -> integerBytes(a.arg(), relations) == 4 ? 8 : 0; // SUM of a bigint is a numeric
                case "MIN", "MAX" -> integerBytes(a.arg(), relations);
                default -> 0;
            };
        }
        return 0;
    }
}
