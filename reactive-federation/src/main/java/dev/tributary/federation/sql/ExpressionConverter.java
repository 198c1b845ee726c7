package dev.tributary.federation.sql;

import dev.tributary.federation.plan.Functions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NamedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.Select;

/** Converts JSqlParser expressions into {@link Expr}, refusing what federation does not support. */
final class ExpressionConverter {

    private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX");

    private final SqlFrontEnd front;
    private int positional;
    private final Set<String> names = new LinkedHashSet<>();

    ExpressionConverter(SqlFrontEnd front) {
        this.front = front;
    }

    int positionalCount() {
        return positional;
    }

    Set<String> names() {
        return names;
    }

    Expr convert(Expression e) {
        if (e instanceof Column c) {
            return column(c);
        } else if (e instanceof LongValue v) {
            BigInteger big = new BigInteger(v.getStringValue());
            if (big.bitLength() < 32) {
                return new Expr.Literal(big.intValue());
            }
            return new Expr.Literal(big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big));
        } else if (e instanceof DoubleValue) {
            return new Expr.Literal(new BigDecimal(e.toString()));
        } else if (e instanceof StringValue s) {
            if (s.getPrefix() != null && !s.getPrefix().isEmpty()) {
                throw front.unsupported("string literal with prefix " + s.getPrefix(), s.getPrefix(), e);
            }
            return new Expr.Literal(s.getNotExcapedValue());
        } else if (e instanceof NullValue) {
            return new Expr.Literal(null);
        } else if (e instanceof BooleanValue b) {
            return new Expr.Literal(b.getValue());
        } else if (e instanceof DateValue d) {
            return new Expr.Literal(d.getValue().toLocalDate());
        } else if (e instanceof TimestampValue t) {
            return new Expr.Literal(t.getValue().toLocalDateTime());
        } else if (e instanceof SignedExpression s) {
            Expr inner = convert(s.getExpression());
            if (s.getSign() == '+') {
                return inner;
            }
            if (s.getSign() != '-') {
                throw front.unsupported("operator " + s.getSign(), String.valueOf(s.getSign()), e);
            }
            if (inner instanceof Expr.Literal lit && lit.value() instanceof Integer i && i != Integer.MIN_VALUE) {
                return new Expr.Literal(-i);
            }
            if (inner instanceof Expr.Literal lit && lit.value() instanceof Long l && l != Long.MIN_VALUE) {
                return new Expr.Literal(-l);
            }
            if (inner instanceof Expr.Literal lit && lit.value() instanceof BigDecimal d) {
                return new Expr.Literal(d.negate());
            }
            return new Expr.Negate(inner);
        } else if (e instanceof JdbcParameter p) {
            if (!names.isEmpty()) {
                throw front.unsupported("mixing ? and :name parameters", "?", e);
            }
            // the parser numbers plain ? markers in the order of the text, which is the order of the values;
            // conversion visits FROM before the select list, and a WITH query once per reference
            int index = p.getIndex() != null ? p.getIndex() - 1 : positional;
            positional = Math.max(positional, index + 1);
            return new Expr.Param(index, null);
        } else if (e instanceof JdbcNamedParameter p) {
            if (positional > 0) {
                throw front.unsupported("mixing ? and :name parameters", ":" + p.getName(), e);
            }
            if (!":".equals(p.getParameterCharacter())) {
                throw front.unsupported("parameter " + p, p.toString(), e);
            }
            names.add(p.getName());
            return new Expr.Param(-1, p.getName());
        } else if (e instanceof AndExpression || e instanceof OrExpression || misparsed(e)) {
            return logical(e);
        } else if (e instanceof NotExpression n) {
            return new Expr.Not(convert(n.getExpression()));
        } else if (e instanceof ParenthesedExpressionList<?> list) {
            if (list.size() != 1) {
                throw front.unsupported("row value " + e, "(", e);
            }
            return convert(list.get(0));
        } else if (e instanceof ComparisonOperator cmp) {
            return comparison(cmp);
        } else if (e instanceof Addition a) {
            return arithmetic(Expr.BinaryOp.ADD, a.getLeftExpression(), a.getRightExpression());
        } else if (e instanceof Subtraction s) {
            return arithmetic(Expr.BinaryOp.SUB, s.getLeftExpression(), s.getRightExpression());
        } else if (e instanceof Multiplication m) {
            return arithmetic(Expr.BinaryOp.MUL, m.getLeftExpression(), m.getRightExpression());
        } else if (e instanceof Division d) {
            return arithmetic(Expr.BinaryOp.DIV, d.getLeftExpression(), d.getRightExpression());
        } else if (e instanceof Modulo m) {
            return arithmetic(Expr.BinaryOp.MOD, m.getLeftExpression(), m.getRightExpression());
        } else if (e instanceof Concat c) {
            return new Expr.Call(Functions.CONCAT_OPERATOR, List.of(convert(c.getLeftExpression()),
                    convert(c.getRightExpression())));
        } else if (e instanceof InExpression in) {
            return in(in);
        } else if (e instanceof Between b) {
            return new Expr.Between(convert(b.getLeftExpression()), convert(b.getBetweenExpressionStart()),
                    convert(b.getBetweenExpressionEnd()), b.isNot());
        } else if (e instanceof LikeExpression l) {
            if (l.getLikeKeyWord() != LikeExpression.KeyWord.LIKE || l.isUseBinary()) {
                String kw = l.getLikeKeyWord().name().replace('_', ' ');
                throw front.unsupported(kw, kw.split(" ")[0], e);
            }
            return new Expr.Like(convert(l.getLeftExpression()), convert(l.getRightExpression()),
                    l.getEscape() == null ? null : convert(l.getEscape()), l.isNot());
        } else if (e instanceof IsNullExpression n) {
            return new Expr.IsNull(convert(n.getLeftExpression()), n.isNot());
        } else if (e instanceof CaseExpression c) {
            List<Expr.When> whens = new ArrayList<>();
            for (WhenClause w : c.getWhenClauses()) {
                whens.add(new Expr.When(convert(w.getWhenExpression()), convert(w.getThenExpression())));
            }
            return new Expr.Case(c.getSwitchExpression() == null ? null : convert(c.getSwitchExpression()), whens,
                    c.getElseExpression() == null ? null : convert(c.getElseExpression()));
        } else if (e instanceof Function f) {
            return function(f);
        } else if (e instanceof TrimFunction t) {
            return trim(t);
        } else if (e instanceof ExtractExpression x) {
            String field = x.getName() == null ? "" : x.getName().toUpperCase(Locale.ROOT);
            if (!List.of("YEAR", "MONTH", "DAY").contains(field)) {
                throw front.unsupported("EXTRACT(" + x.getName() + " FROM ...); only YEAR, MONTH and DAY are supported",
                        "EXTRACT", e);
            }
            return new Expr.Call("EXTRACT", List.of(new Expr.Literal(field), convert(x.getExpression())));
        } else if (e instanceof Select s) {
            return new Expr.ScalarSubquery(front.query(s));
        } else if (e instanceof ExistsExpression x) {
            if (!(x.getRightExpression() instanceof Select s)) {
                throw front.unsupported("EXISTS without a subquery", "EXISTS", e);
            }
            Expr exists = new Expr.Exists(front.query(s));
            return x.isNot() ? new Expr.Not(exists) : exists;
        } else if (e instanceof CastExpression c && c.isImplicitCast() && c.getLeftExpression() instanceof StringValue s
                && (c.isDate() || c.isTimeStamp())) {
            try {
                String text = s.getValue().trim();
                return new Expr.Literal(c.isDate() ? (Object) java.time.LocalDate.parse(text)
                        : java.time.LocalDateTime.parse(text.replace(' ', 'T')));
            } catch (java.time.DateTimeException bad) {
                throw front.unsupported("malformed " + c, c.isDate() ? "DATE" : "TIMESTAMP", e);
            }
        } else if (e instanceof CastExpression c) {
            return cast(c);
        } else if (e instanceof AnalyticExpression a) {
            throw front.unsupported("window function " + a.getName(), a.getName(), e);
        }
        String name = e.getClass().getSimpleName().replaceAll("(Expression|Value|Operator)$", "");
        throw front.unsupported(name + " (" + e + ")", e.toString(), e);
    }

    // JSqlParser 5.3 parses "a IN (1, 2) AND b = 1" as "a IN ((1, 2) AND b = 1)": after IN it reads a whole
    // boolean expression, so the IN list and everything after it end up as the IN's right operand, and a NOT
    // or AND before it takes that whole rest as its operand. Parentheses are kept as nodes, so flattening the
    // AND/OR/NOT chain back into its operands and operators and rebuilding it with SQL precedence (NOT over
    // AND over OR, left-associative) restores the statement as written.

    private static boolean misparsed(Expression e) {
        if (e instanceof InExpression in) {
            return in.getRightExpression() instanceof AndExpression || in.getRightExpression() instanceof OrExpression;
        }
        if (e instanceof NotExpression n) {
            Expression inner = n.getExpression();
            return inner instanceof AndExpression || inner instanceof OrExpression || misparsed(inner);
        }
        return false;
    }

    private Expr logical(Expression e) {
        List<Object> seq = new ArrayList<>();
        flatten(e, seq);
        List<Expr> disjuncts = new ArrayList<>();
        Expr conjunction = null;
        for (int i = 0; i < seq.size(); i += 2) {
            Expr operand = convert((Expression) seq.get(i));
            conjunction = conjunction == null ? operand : new Expr.Binary(Expr.BinaryOp.AND, conjunction, operand);
            if (i + 1 >= seq.size() || seq.get(i + 1) == Expr.BinaryOp.OR) {
                disjuncts.add(conjunction);
                conjunction = null;
            }
        }
        Expr result = disjuncts.get(0);
        for (int i = 1; i < disjuncts.size(); i++) {
            result = new Expr.Binary(Expr.BinaryOp.OR, result, disjuncts.get(i));
        }
        return result;
    }

    /**
     * The operands of a top-level AND chain, with JSqlParser's misparse of {@code x IN (...) AND y} repaired;
     * {@code e} alone when the chain has an OR.
     */
    static List<Expression> conjuncts(Expression e) {
        List<Object> seq = new ArrayList<>();
        flatten(e, seq);
        if (seq.contains(Expr.BinaryOp.OR)) {
            return List.of(e);
        }
        List<Expression> operands = new ArrayList<>();
        for (int i = 0; i < seq.size(); i += 2) {
            operands.add((Expression) seq.get(i));
        }
        return operands;
    }

    /** Appends operands (JSqlParser expressions) and operators (AND/OR) of a bare AND/OR chain, in order. */
    private static void flatten(Expression e, List<Object> out) {
        if (e instanceof AndExpression a) {
            flatten(a.getLeftExpression(), out);
            out.add(Expr.BinaryOp.AND);
            flatten(a.getRightExpression(), out);
        } else if (e instanceof OrExpression o) {
            flatten(o.getLeftExpression(), out);
            out.add(Expr.BinaryOp.OR);
            flatten(o.getRightExpression(), out);
        } else if (misparsed(e) && e instanceof InExpression in) {
            List<Object> rest = new ArrayList<>();
            flatten(in.getRightExpression(), rest);
            InExpression fixed = new InExpression(in.getLeftExpression(), (Expression) rest.get(0));
            fixed.setNot(in.isNot());
            out.add(fixed);
            out.addAll(rest.subList(1, rest.size()));
        } else if (misparsed(e) && e instanceof NotExpression n) {
            List<Object> rest = new ArrayList<>();
            flatten(n.getExpression(), rest);
            out.add(new NotExpression((Expression) rest.get(0)));
            out.addAll(rest.subList(1, rest.size()));
        } else {
            out.add(e);
        }
    }

    private Expr column(Column c) {
        if (c.getTable() != null && c.getTable().getSchemaName() != null) {
            throw front.unsupported("three-part column reference " + c, c.toString(), c);
        }
        String qualifier = c.getTable() == null || c.getTable().getName() == null ? null
                : SqlFrontEnd.unquote(c.getTable().getName());
        int[] pos = front.position(c, c.toString());
        return new Expr.Column(qualifier, SqlFrontEnd.unquote(c.getColumnName()), pos[0], pos[1]);
    }

    private Expr comparison(ComparisonOperator cmp) {
        if (cmp.getOldOracleJoinSyntax() != 0 || cmp.getOraclePriorPosition() != 0) {
            throw front.unsupported("Oracle (+) join syntax", "(+)", cmp);
        }
        Expr.BinaryOp op;
        if (cmp instanceof EqualsTo) {
            op = Expr.BinaryOp.EQ;
        } else if (cmp instanceof NotEqualsTo) {
            op = Expr.BinaryOp.NE;
        } else if (cmp instanceof GreaterThan) {
            op = Expr.BinaryOp.GT;
        } else if (cmp instanceof GreaterThanEquals) {
            op = Expr.BinaryOp.GE;
        } else if (cmp instanceof MinorThan) {
            op = Expr.BinaryOp.LT;
        } else if (cmp instanceof MinorThanEquals) {
            op = Expr.BinaryOp.LE;
        } else {
            String sym = cmp.getStringExpression();
            throw front.unsupported("operator " + sym, sym, cmp);
        }
        return new Expr.Binary(op, convert(cmp.getLeftExpression()), convert(cmp.getRightExpression()));
    }

    private Expr arithmetic(Expr.BinaryOp op, Expression left, Expression right) {
        return new Expr.Binary(op, convert(left), convert(right));
    }

    private Expr in(InExpression in) {
        if (in.getOldOracleJoinSyntax() != 0 || in.isGlobal()) {
            throw front.unsupported("IN variant " + in, "IN", in);
        }
        Expression right = in.getRightExpression();
        if (right instanceof Select s) {
            return new Expr.InSubquery(convert(in.getLeftExpression()), front.query(s), in.isNot());
        }
        if (!(right instanceof ExpressionList<?> list)) {
            throw front.unsupported("IN " + right, "IN", in);
        }
        List<Expr> values = new ArrayList<>();
        for (Expression v : list) {
            values.add(convert(v));
        }
        if (values.isEmpty()) {
            throw front.unsupported("empty IN list", "IN", in);
        }
        return new Expr.InList(convert(in.getLeftExpression()), values, in.isNot());
    }

    private Expr aggregate(String name, Function f) {
        if (f.getOrderByElements() != null || f.getNamedParameters() != null || f.getKeep() != null
                || f.getLimit() != null || f.getHavingClause() != null || f.getNullHandling() != null || f.isUnique()) {
            throw front.unsupported("modifier in call of " + f.getName(), f.getName(), f);
        }
        if (f.isAllColumns() || f.getParameters() != null && f.getParameters().size() == 1
                && f.getParameters().get(0) instanceof net.sf.jsqlparser.statement.select.AllColumns) {
            if (!name.equals("COUNT") || f.isDistinct()) {
                throw front.unsupported(name + (f.isDistinct() ? "(DISTINCT *)" : "(*)"), f.getName(), f);
            }
            return new Expr.Agg("COUNT", null, false);
        }
        if (f.getParameters() == null || f.getParameters().size() != 1) {
            int n = f.getParameters() == null ? 0 : f.getParameters().size();
            throw front.unsupported(name + " with " + n + " arguments", f.getName(), f);
        }
        return new Expr.Agg(name, convert((Expression) f.getParameters().get(0)), f.isDistinct());
    }

    private Expr function(Function f) {
        String written = f.getName() == null ? "" : f.getName();
        if (AGGREGATES.contains(written.toUpperCase(Locale.ROOT))) {
            return aggregate(written.toUpperCase(Locale.ROOT), f);
        }
        String name = Functions.canonicalName(written);
        if (name == null) {
            throw front.unsupported("function " + written, written, f);
        }
        boolean substringFromFor = name.equals("SUBSTRING") && f.getNamedParameters() != null
                && f.getParameters() == null && substringKeywords(f.getNamedParameters());
        if (f.isDistinct() || f.isAllColumns() || f.isUnique() || f.getOrderByElements() != null
                || f.getNamedParameters() != null && !substringFromFor || f.getKeep() != null || f.getLimit() != null
                || f.getHavingClause() != null || f.getNullHandling() != null) {
            throw front.unsupported("modifier in call of " + written, written, f);
        }
        List<Expr> args = new ArrayList<>();
        ExpressionList<?> params = substringFromFor ? f.getNamedParameters() : f.getParameters();
        if (params != null) {
            for (Expression a : params) {
                args.add(convert(a));
            }
        }
        if (!Functions.acceptsArity(name, args.size())) {
            throw front.unsupported(written.toUpperCase(Locale.ROOT) + " with " + args.size() + " arguments", written, f);
        }
        return new Expr.Call(name, args);
    }

    /** Whether a named argument list is {@code x FROM a [FOR b]}. */
    private static boolean substringKeywords(NamedExpressionList<?> named) {
        List<String> words = named.getNames().stream().map(n -> n == null ? "" : n.toUpperCase(Locale.ROOT)).toList();
        return words.equals(List.of("", "FROM")) || words.equals(List.of("", "FROM", "FOR"));
    }

    /** {@code TRIM([LEADING|TRAILING|BOTH] [c] FROM x)} with {@code c} a one-character literal (default a space). */
    private Expr trim(TrimFunction t) {
        String side = t.getTrimSpecification() == null ? "BOTH" : t.getTrimSpecification().name();
        Expression chars = t.isUsingFromKeyword() ? t.getExpression() : null;
        Expression operand = t.isUsingFromKeyword() ? t.getFromExpression() : t.getExpression();
        if (operand == null || !t.isUsingFromKeyword() && t.getFromExpression() != null) {
            throw front.unsupported("TRIM form " + t, "TRIM", t);
        }
        String set = " ";
        if (chars != null) {
            if (!(convert(chars) instanceof Expr.Literal lit && lit.value() instanceof String s
                    && s.codePointCount(0, s.length()) == 1)) {
                throw front.unsupported("TRIM of characters other than one literal character (" + chars + ")",
                        "TRIM", t);
            }
            set = s;
        }
        return new Expr.Call("TRIM", List.of(new Expr.Literal(side), new Expr.Literal(set), convert(operand)));
    }

    private Expr cast(CastExpression c) {
        String keyword = c.isUseCastKeyword() ? "CAST" : "::";
        if (c.getColDataType() == null || c.getColDataType().getArrayData() != null
                && !c.getColDataType().getArrayData().isEmpty() || c.getLeftExpression() == null) {
            throw front.unsupported(keyword + " " + c, keyword, c);
        }
        String type = Functions.castType(c.getColDataType().toString());
        if (type == null) {
            throw front.unsupported("CAST to " + c.getColDataType() + "; supported: INTEGER, BIGINT, NUMERIC(p,s),"
                    + " VARCHAR(n), TEXT, DATE, TIMESTAMP, DOUBLE PRECISION, BOOLEAN", keyword, c);
        }
        return new Expr.Cast(convert(c.getLeftExpression()), type);
    }

}
