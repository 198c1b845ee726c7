package dev.tributary.federation.plan;

import dev.tributary.core.TributaryException;
import dev.tributary.federation.exec.RowExpression;
import dev.tributary.federation.exec.RowPredicate;
import dev.tributary.federation.exec.SqlValues;
import dev.tributary.federation.sql.Expr;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Compiles bound expressions to {@link RowExpression}s over a node's layout, with SQL semantics from
 * {@link SqlValues}: three-valued logic, NULL propagation, cross-type numeric comparison, PostgreSQL
 * arithmetic. Parameters are resolved at compile time (one compilation per execution).
 */
final class ExpressionCompiler {

    private final List<Expr> layout;
    private final Function<Expr.Param, @Nullable Object> params;

    private ExpressionCompiler(List<Expr> layout, Function<Expr.Param, @Nullable Object> params) {
        this.layout = layout;
        this.params = params;
    }

    /** Compiles {@code e} to evaluate on rows laid out as {@code layout}. */
    static RowExpression compile(Expr e, List<Expr> layout, Function<Expr.Param, @Nullable Object> params) {
        return new ExpressionCompiler(layout, params).compile(e);
    }

    /** Compiles a condition: only {@code TRUE} passes. */
    static RowPredicate predicate(Expr e, List<Expr> layout, Function<Expr.Param, @Nullable Object> params) {
        RowExpression x = compile(e, layout, params);
        return row -> bool(x.evaluate(row));
    }

    private RowExpression compile(Expr e) {
        int slot = layout.indexOf(e);
        if (slot >= 0) {
            return RowExpression.column(slot);
        }
        if (e instanceof Expr.Ref) {
            throw new IllegalStateException("column " + e + " is not in the layout " + layout);
        }
        if (e instanceof Expr.Literal lit) {
            Object v = lit.value();
            return row -> v;
        }
        if (e instanceof Expr.Param p) {
            Object v = params.apply(p);
            return row -> v;
        }
        if (e instanceof Expr.Binary b) {
            return binary(b);
        }
        if (e instanceof Expr.Not n) {
            RowExpression x = compile(n.operand());
            return row -> {
                Boolean v = bool(x.evaluate(row));
                return v == null ? null : !v;
            };
        }
        if (e instanceof Expr.Negate n) {
            RowExpression x = compile(n.operand());
            return row -> SqlValues.negate(x.evaluate(row));
        }
        if (e instanceof Expr.IsNull n) {
            RowExpression x = compile(n.operand());
            boolean negated = n.negated();
            return row -> (x.evaluate(row) == null) != negated;
        }
        if (e instanceof Expr.InList in) {
            return inList(in);
        }
        if (e instanceof Expr.Between b) {
            RowExpression x = compile(b.operand());
            RowExpression lo = compile(b.low());
            RowExpression hi = compile(b.high());
            boolean negated = b.negated();
            return row -> {
                Object v = x.evaluate(row);
                Boolean r = and(compare(lo.evaluate(row), v, Expr.BinaryOp.LE), compare(v, hi.evaluate(row), Expr.BinaryOp.LE));
                return r == null ? null : r != negated;
            };
        }
        if (e instanceof Expr.Like l) {
            RowExpression x = compile(l.operand());
            RowExpression p = compile(l.pattern());
            RowExpression esc = l.escape() == null ? null : compile(l.escape());
            boolean negated = l.negated();
            return row -> {
                Object v = x.evaluate(row);
                Object pattern = p.evaluate(row);
                Object escape = esc == null ? null : esc.evaluate(row);
                if (v == null || pattern == null || esc != null && escape == null) {
                    return null;
                }
                Character escapeChar = escape == null || escape.toString().isEmpty() ? null : escape.toString().charAt(0);
                return SqlValues.like(v.toString(), pattern.toString(), escapeChar) != negated;
            };
        }
        if (e instanceof Expr.Case c) {
            return caseExpr(c);
        }
        if (e instanceof Expr.Call || e instanceof Expr.Cast) {
            return Functions.compile(e, e.children().stream().map(this::compile).toArray(RowExpression[]::new));
        }
        throw new IllegalStateException("cannot evaluate " + e);
    }

    private RowExpression binary(Expr.Binary b) {
        RowExpression l = compile(b.left());
        RowExpression r = compile(b.right());
        return switch (b.op()) {
            case AND -> row -> {
                Boolean x = bool(l.evaluate(row));
                if (Boolean.FALSE.equals(x)) {
                    return false;
                }
                return and(x, bool(r.evaluate(row)));
            };
            case OR -> row -> {
                Boolean x = bool(l.evaluate(row));
                if (Boolean.TRUE.equals(x)) {
                    return true;
                }
                Boolean y = bool(r.evaluate(row));
                if (Boolean.TRUE.equals(y)) {
                    return true;
                }
                return x == null || y == null ? null : false;
            };
            case EQ -> row -> SqlValues.equal(l.evaluate(row), r.evaluate(row));
            case NE -> row -> {
                Boolean eq = SqlValues.equal(l.evaluate(row), r.evaluate(row));
                return eq == null ? null : !eq;
            };
            case LT, LE, GT, GE -> row -> compare(l.evaluate(row), r.evaluate(row), b.op());
            case ADD -> row -> SqlValues.add(l.evaluate(row), r.evaluate(row));
            case SUB -> row -> SqlValues.subtract(l.evaluate(row), r.evaluate(row));
            case MUL -> row -> SqlValues.multiply(l.evaluate(row), r.evaluate(row));
            case DIV -> row -> SqlValues.divide(l.evaluate(row), r.evaluate(row));
            case MOD -> row -> SqlValues.modulo(l.evaluate(row), r.evaluate(row));
        };
    }

    private RowExpression inList(Expr.InList in) {
        RowExpression x = compile(in.operand());
        RowExpression[] values = in.values().stream().map(this::compile).toArray(RowExpression[]::new);
        boolean negated = in.negated();
        return row -> {
            Object v = x.evaluate(row);
            if (v == null) {
                return null;
            }
            boolean unknown = false;
            for (RowExpression value : values) {
                Boolean eq = SqlValues.equal(v, value.evaluate(row));
                if (Boolean.TRUE.equals(eq)) {
                    return !negated;
                }
                unknown |= eq == null;
            }
            return unknown ? null : negated;
        };
    }

    private RowExpression caseExpr(Expr.Case c) {
        RowExpression operand = c.operand() == null ? null : compile(c.operand());
        RowExpression[] conditions = c.whens().stream().map(w -> compile(w.condition())).toArray(RowExpression[]::new);
        RowExpression[] results = c.whens().stream().map(w -> compile(w.result())).toArray(RowExpression[]::new);
        RowExpression otherwise = c.otherwise() == null ? null : compile(c.otherwise());
        return row -> {
            Object v = operand == null ? null : operand.evaluate(row);
            for (int i = 0; i < conditions.length; i++) {
                Object cond = conditions[i].evaluate(row);
                boolean hit = operand == null ? Boolean.TRUE.equals(bool(cond)) : Boolean.TRUE.equals(SqlValues.equal(v, cond));
                if (hit) {
                    return results[i].evaluate(row);
                }
            }
            return otherwise == null ? null : otherwise.evaluate(row);
        };
    }

    private static @Nullable Boolean compare(@Nullable Object a, @Nullable Object b, Expr.BinaryOp op) {
        if (a == null || b == null) {
            return null;
        }
        int c = SqlValues.compare(a, b);
        return switch (op) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        };
    }

    private static @Nullable Boolean and(@Nullable Boolean x, @Nullable Boolean y) {
        if (Boolean.FALSE.equals(x) || Boolean.FALSE.equals(y)) {
            return false;
        }
        return x == null || y == null ? null : true;
    }

    static @Nullable Boolean bool(@Nullable Object v) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new TributaryException("argument of a condition must be boolean, not " + v.getClass().getSimpleName()
                + " " + v);
    }
}
