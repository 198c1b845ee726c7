package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link PhysicalNode.Fragment} as SQL for its database's {@link Dialect}: identifiers quoted
 * with their catalog names, parameters as bind markers. Literals are bind markers too, except in a grouped
 * block (where PostgreSQL must see a GROUP BY expression and its select-list copy as the same text) and in
 * H2 select lists (where H2 cannot type a bare parameter): there numbers, dates and timestamps are written
 * from their Java values, and strings, on PostgreSQL and H2 only, escaped; user parameters are always bound.
 */
final class SqlRenderer {

    /** The select list of an EXISTS subquery, written {@code 1}. */
    private static final Expr ONE = new Expr.Literal(1);

    private static final String MARIADB_NO_LIMIT = "18446744073709551615";

    private final BoundQuery query;
    private final Dialect dialect;
    private final StringBuilder sql = new StringBuilder();
    private final List<FragmentSql.Bind> binds = new ArrayList<>();
    private int branches;
    private boolean valueContext;
    private boolean grouped;

    private SqlRenderer(BoundQuery query, Dialect dialect) {
        this.query = query;
        this.dialect = dialect;
    }

    /** Renders a fragment as {@code explain} shows it: every dynamic filter as key lists (one IN-list entry). */
    static FragmentSql render(BoundQuery query, PhysicalNode.Fragment fragment) {
        return render(query, fragment, fragment.dynamicFilters.stream().map(AppliedFilter::template).toList());
    }

    /**
     * Renders a fragment: a whole block when {@link PhysicalNode.Fragment#whole} is set, else its FROM tree,
     * pushed filters, the given dynamic filters and needed columns.
     */
    static FragmentSql render(BoundQuery query, PhysicalNode.Fragment fragment, List<AppliedFilter> filters) {
        SqlRenderer r = new SqlRenderer(query, fragment.dialect);
        if (fragment.whole != null) {
            r.body(fragment.whole, fragment.whole.columnNames());
        } else {
            r.fragment(fragment, filters);
        }
        return new FragmentSql(r.sql.toString(), r.binds);
    }

    /** A whole query, its output columns named {@code names}. */
    private void body(BoundBody body, List<String> names) {
        if (body instanceof BoundSet set) {
            setBranch(set.left(), names, false);
            sql.append(set.all() ? " UNION ALL " : " UNION ");
            setBranch(set.right(), names, true);
            return;
        }
        BoundQuery q = (BoundQuery) body;
        boolean outer = grouped;
        grouped = !q.groupBy().isEmpty();
        try {
            block(q, names);
        } finally {
            grouped = outer;
        }
    }

    private void block(BoundQuery q, List<String> names) {
        sql.append("SELECT ");
        if (q.distinct()) {
            sql.append("DISTINCT ");
        }
        for (int i = 0; i < q.outputs().size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            Expr e = q.outputs().get(i).expr();
            if (e == ONE) {
                sql.append('1');
                continue;
            }
            boolean outer = valueContext;
            valueContext = true;
            try {
                expr(e);
            } finally {
                valueContext = outer;
            }
            String name = names.get(i);
            if (!(e instanceof Expr.Ref ref && columnName(ref).equals(name))) {
                sql.append(" AS ").append(dialect.quote(name));
            }
        }
        sql.append(" FROM ");
        from(PhysicalNode.tree(q.from()));
        conjuncts(" WHERE ", Expr.conjuncts(q.where()));
        if (!q.groupBy().isEmpty()) {
            sql.append(" GROUP BY ");
            for (int i = 0; i < q.groupBy().size(); i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                expr(q.groupBy().get(i));
            }
        }
        conjuncts(" HAVING ", Expr.conjuncts(q.having()));
        orderAndLimit(q);
    }

    private void setBranch(BoundBody branch, List<String> names, boolean right) {
        boolean plain = branch instanceof BoundQuery q ? q.orderBy().isEmpty() && q.limit() == null && q.offset() == null
                : !right;
        if (plain) {
            body(branch, names);
        } else {
            sql.append("SELECT * FROM (");
            body(branch, names);
            sql.append(") ").append(dialect.quote("branch" + (++branches)));
        }
    }

    private void conjuncts(String keyword, List<Expr> conjuncts) {
        for (int i = 0; i < conjuncts.size(); i++) {
            sql.append(i == 0 ? keyword : " AND ");
            nested(conjuncts.get(i), true);
        }
    }

    private void fragment(PhysicalNode.Fragment f, List<AppliedFilter> filters) {
        sql.append("SELECT ");
        for (int i = 0; i < f.outputs.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            expr(f.outputs.get(i));
        }
        sql.append(" FROM ");
        from(f.from);
        List<Expr> where = f.where;
        if (!where.isEmpty() || !filters.isEmpty()) {
            sql.append(" WHERE ");
            for (int i = 0; i < where.size(); i++) {
                if (i > 0) {
                    sql.append(" AND ");
                }
                nested(where.get(i), true);
            }
            boolean first = where.isEmpty();
            for (AppliedFilter a : filters) {
                if (!first) {
                    sql.append(" AND ");
                }
                first = false;
                dynamicFilter(a);
            }
        }
    }

    /**
     * A dynamic filter: per column {@code = ANY(array)} on PostgreSQL, else an IN list of values or of row
     * values; or per column with a range, {@code BETWEEN low AND high}.
     */
    private void dynamicFilter(AppliedFilter a) {
        PhysicalNode.DynamicFilter df = a.filter();
        List<PhysicalNode.KeyColumn> columns = df.columns();
        if (a.tuples() == null) {
            String and = "";
            for (int c = 0; c < columns.size(); c++) {
                if (a.low()[c] != null) {
                    sql.append(and);
                    expr(columns.get(c).column());
                    sql.append(" BETWEEN ");
                    bind(new FragmentSql.RangeBound(df.join(), c, false));
                    sql.append(" AND ");
                    bind(new FragmentSql.RangeBound(df.join(), c, true));
                    and = " AND ";
                }
            }
        } else if (dialect == Dialect.POSTGRESQL) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    sql.append(" AND ");
                }
                expr(columns.get(c).column());
                sql.append(" = ANY(");
                bind(new FragmentSql.KeyArray(df.join(), columns.get(c).javaType(), c, columns.size()));
                sql.append(')');
            }
        } else if (columns.size() == 1) {
            expr(df.column());
            sql.append(" IN (");
            for (int i = 0; i < a.tuples().size(); i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                bind(new FragmentSql.Key(df.join(), i));
            }
            sql.append(')');
        } else {
            sql.append('(');
            for (int c = 0; c < columns.size(); c++) {
                sql.append(c > 0 ? ", " : "");
                expr(columns.get(c).column());
            }
            sql.append(") IN (");
            for (int i = 0; i < a.tuples().size(); i++) {
                sql.append(i > 0 ? ", (" : "(");
                for (int c = 0; c < columns.size(); c++) {
                    sql.append(c > 0 ? ", " : "");
                    bind(new FragmentSql.TupleKey(df.join(), i, c, columns.size()));
                }
                sql.append(')');
            }
            sql.append(')');
        }
    }

    private void orderAndLimit(BoundQuery query) {
        if (!query.orderBy().isEmpty()) {
            sql.append(" ORDER BY ");
            for (int i = 0; i < query.orderBy().size(); i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                BoundQuery.Order o = query.orderBy().get(i);
                if (dialect == Dialect.MARIADB || dialect == Dialect.GENERIC) {
                    // NULLs sort first ascending there; state PostgreSQL's order explicitly
                    sql.append("CASE WHEN ");
                    nested(o.expr(), false);
                    sql.append(" IS NULL THEN ").append(o.nullsFirst() ? 0 : 1).append(" ELSE ")
                            .append(o.nullsFirst() ? 1 : 0).append(" END, ");
                    expr(o.expr());
                    sql.append(o.descending() ? " DESC" : " ASC");
                } else {
                    int output = o.expr() instanceof Expr.Ref ? -1
                            : query.outputs().stream().map(BoundQuery.Output::expr).toList().indexOf(o.expr());
                    if (output >= 0) {
                        // the select list's position: written again, its literals would be new parameters, which
                        // PostgreSQL does not take for the same expression (SELECT DISTINCT requires it to be)
                        sql.append(output + 1);
                    } else {
                        expr(o.expr());
                    }
                    sql.append(o.descending() ? " DESC" : " ASC");
                    if (dialect == Dialect.H2 || o.nullsFirst() != o.descending()) {
                        sql.append(o.nullsFirst() ? " NULLS FIRST" : " NULLS LAST");
                    }
                }
            }
        }
        Expr limit = query.limit();
        Expr offset = query.offset();
        if (limit != null) {
            sql.append(" LIMIT ");
            expr(limit);
        } else if (offset != null && dialect == Dialect.MARIADB) {
            sql.append(" LIMIT ").append(MARIADB_NO_LIMIT);
        }
        if (offset != null) {
            sql.append(" OFFSET ");
            expr(offset);
            if (limit == null && dialect == Dialect.H2) {
                sql.append(" ROWS");
            }
        }
    }

    private void from(PhysicalNode.From from) {
        if (from instanceof PhysicalNode.Leaf leaf) {
            BoundQuery.Relation r = leaf.relation();
            if (r.derived() != null) {
                sql.append('(');
                body(r.derived(), r.table().columnNames());
                sql.append(')');
            } else {
                sql.append(dialect.quote(r.table().name()));
            }
            sql.append(' ').append(dialect.quote(alias(r)));
            return;
        }
        PhysicalNode.Join j = (PhysicalNode.Join) from;
        from(j.left());
        if (j.type() == JoinType.INNER && j.on().isEmpty()) {
            sql.append(" CROSS JOIN ");
        } else {
            sql.append(switch (j.type()) {
                case LEFT -> " LEFT JOIN ";
                case RIGHT -> " RIGHT JOIN ";
                case FULL -> " FULL JOIN ";
                default -> " JOIN ";
            });
        }
        boolean parens = j.right() instanceof PhysicalNode.Join;
        if (parens) {
            sql.append('(');
        }
        from(j.right());
        if (parens) {
            sql.append(')');
        }
        if (!(j.type() == JoinType.INNER && j.on().isEmpty())) {
            sql.append(" ON ");
            if (j.on().isEmpty()) {
                sql.append("1 = 1");
            }
            for (int i = 0; i < j.on().size(); i++) {
                if (i > 0) {
                    sql.append(" AND ");
                }
                nested(j.on().get(i), true);
            }
        }
    }

    /** The relation's name in SQL: its exposed name, made unique with its index where another has the same. */
    private String alias(BoundQuery.Relation r) {
        for (BoundQuery.Relation other : query.relations()) {
            if (other != r && other.name().equalsIgnoreCase(r.name())) {
                return r.name() + "_" + r.index();
            }
        }
        return r.name();
    }

    private String columnName(Expr.Ref ref) {
        return query.relations().get(ref.relation()).table().columns().get(ref.column()).name();
    }

    private void bind(FragmentSql.Bind bind) {
        sql.append(dialect.bindMarker(binds.size()));
        binds.add(bind);
    }

    /** Renders {@code e}, in parentheses when it is composite (unless it is a top-level conjunct that is not an OR). */
    private void nested(Expr e, boolean conjunct) {
        boolean composite = e instanceof Expr.Binary || e instanceof Expr.Not || e instanceof Expr.IsNull
                || e instanceof Expr.InList || e instanceof Expr.Between || e instanceof Expr.Like
                || e instanceof Expr.Negate;
        boolean parens = composite && !(conjunct && !(e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.OR));
        if (parens) {
            sql.append('(');
        }
        expr(e);
        if (parens) {
            sql.append(')');
        }
    }

    private void expr(Expr e) {
        if (e instanceof Expr.Ref ref) {
            sql.append(dialect.quote(alias(query.relations().get(ref.relation())))).append('.')
                    .append(dialect.quote(columnName(ref)));
        } else if (e instanceof Expr.Literal lit) {
            literal(lit.value());
        } else if (e instanceof Expr.Param p) {
            bind(new FragmentSql.Param(p));
        } else if (e instanceof Expr.Binary b) {
            if (b.op() == Expr.BinaryOp.DIV && dialect == Dialect.MARIADB && Pushdown.integral(b.left(), query.relations()) && Pushdown.integral(b.right(), query.relations())) {
                // MariaDB's / divides integers exactly; PostgreSQL (whose semantics federation follows) truncates
                nested(b.left(), false);
                sql.append(" DIV ");
                nested(b.right(), false);
                return;
            }
            if (b.op() == Expr.BinaryOp.MOD) {
                // H2 gives MOD the type of its divisor: MOD(10.55, 7) would be the integer 4, not 3.55
                boolean widen = dialect == Dialect.H2 && !Pushdown.integral(b.left(), query.relations())
                        && Pushdown.integral(b.right(), query.relations());
                sql.append("MOD(");
                expr(b.left());
                sql.append(widen ? ", CAST(" : ", ");
                expr(b.right());
                sql.append(widen ? " AS DECIMAL))" : ")");
                return;
            }
            nested(b.left(), false);
            sql.append(' ').append(b.op().sql()).append(' ');
            nested(b.right(), false);
        } else if (e instanceof Expr.Not n) {
            sql.append("NOT ");
            nested(n.operand(), false);
        } else if (e instanceof Expr.Negate n) {
            sql.append("-");
            sql.append('(');
            expr(n.operand());
            sql.append(')');
        } else if (e instanceof Expr.IsNull n) {
            nested(n.operand(), false);
            sql.append(n.negated() ? " IS NOT NULL" : " IS NULL");
        } else if (e instanceof Expr.InList in) {
            nested(in.operand(), false);
            sql.append(in.negated() ? " NOT IN (" : " IN (");
            for (int i = 0; i < in.values().size(); i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                nested(in.values().get(i), false);
            }
            sql.append(')');
        } else if (e instanceof Expr.Between b) {
            nested(b.operand(), false);
            sql.append(b.negated() ? " NOT BETWEEN " : " BETWEEN ");
            nested(b.low(), false);
            sql.append(" AND ");
            nested(b.high(), false);
        } else if (e instanceof Expr.Like l) {
            nested(l.operand(), false);
            sql.append(l.negated() ? " NOT LIKE " : " LIKE ");
            nested(l.pattern(), false);
            if (l.escape() != null) {
                sql.append(" ESCAPE ");
                nested(l.escape(), false);
            }
        } else if (e instanceof Expr.Case c) {
            sql.append("CASE");
            if (c.operand() != null) {
                sql.append(' ');
                nested(c.operand(), false);
            }
            for (Expr.When w : c.whens()) {
                sql.append(" WHEN ");
                nested(w.condition(), false);
                sql.append(" THEN ");
                nested(w.result(), false);
            }
            if (c.otherwise() != null) {
                sql.append(" ELSE ");
                nested(c.otherwise(), false);
            }
            sql.append(" END");
        } else if (e instanceof Expr.Call || e instanceof Expr.Cast) {
            Functions.render(e, dialect, new Functions.Sql() {
                @Override
                public Functions.Sql text(String text) {
                    sql.append(text);
                    return this;
                }

                @Override
                public Functions.Sql expr(Expr operand) {
                    nested(operand, false);
                    return this;
                }
            });
        } else if (e instanceof Expr.Agg a) {
            // MariaDB sums integers as DECIMAL; PostgreSQL's SUM of integers is a bigint, and divides as one
            boolean bigint = dialect == Dialect.MARIADB && a.function().equals("SUM")
                    && Pushdown.integral(a, query.relations());
            if (bigint) {
                sql.append("CAST(");
            }
            sql.append(a.function()).append('(');
            if (a.arg() == null) {
                sql.append('*');
            } else {
                if (a.distinct()) {
                    sql.append("DISTINCT ");
                }
                expr(a.arg());
            }
            sql.append(bigint ? ") AS SIGNED)" : ")");
        } else if (e instanceof Expr.ScalarSubquery s) {
            subquery((BoundBody) s.query());
        } else if (e instanceof Expr.Exists s) {
            sql.append("EXISTS ");
            if (s.query() instanceof BoundQuery q && !q.aggregated() && !q.distinct()) {
                // what an EXISTS subquery selects does not matter: select a constant, bind nothing
                sql.append('(');
                body(q.with(q.where(), List.of(new BoundQuery.Output("one", ONE)), false), List.of("one"));
                sql.append(')');
            } else {
                subquery((BoundBody) s.query());
            }
        } else if (e instanceof Expr.InSubquery in) {
            nested(in.operand(), false);
            sql.append(in.negated() ? " NOT IN " : " IN ");
            subquery((BoundBody) in.query());
        } else {
            throw new IllegalStateException("unbound expression in a fragment: " + e);
        }
    }

    private void subquery(BoundBody body) {
        sql.append('(');
        body(body, body.columnNames());
        sql.append(')');
    }

    private void literal(@Nullable Object value) {
        String inlined = value != null && (grouped || valueContext && dialect == Dialect.H2) ? inline(value) : null;
        if (value == null) {
            sql.append("NULL");
        } else if (value instanceof Boolean b) {
            sql.append(b ? "TRUE" : "FALSE");
        } else if (inlined != null) {
            // PostgreSQL takes "SELECT x + $1 ... GROUP BY x + $2" for two expressions: under GROUP BY, the same
            // literal written twice must render as one expression, so literals are written inline there; and H2
            // cannot type a bare parameter in a select list (SELECT ?, COALESCE(?, ?))
            sql.append(inlined);
        } else if (valueContext && typedBind(value) != null) {
            // in a select list (COALESCE, CASE, a UNION branch) H2 cannot type a bare date parameter, and
            // MariaDB gives one back as a string: state the type
            sql.append("CAST(");
            bind(new FragmentSql.Value(value));
            sql.append(" AS ").append(typedBind(value)).append(')');
        } else {
            bind(new FragmentSql.Value(value));
        }
    }

    /**
     * {@code value} as an SQL literal of the same type, where that can be written safely for this dialect:
     * integers, decimals, dates, timestamps, and strings on PostgreSQL (as an escape string, whatever
     * {@code standard_conforming_strings} says) and H2; else {@code null}, and the value is bound.
     */
    private @Nullable String inline(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            long n = ((Number) value).longValue();
            return n < 0 ? "(" + n + ")" : Long.toString(n);
        }
        if (value instanceof java.math.BigDecimal d) {
            String text = d.toPlainString();
            return d.signum() < 0 ? "(" + text + ")" : text;
        }
        if (value instanceof java.time.LocalDate d && d.getYear() > 0 && d.getYear() <= 9999) {
            return "DATE '" + d + "'";
        }
        if (value instanceof java.time.LocalDateTime t && t.getYear() > 0 && t.getYear() <= 9999
                && t.getNano() % 1000 == 0) {
            return String.format(java.util.Locale.ROOT, "TIMESTAMP '%s %02d:%02d:%02d.%06d'", t.toLocalDate(),
                    t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
        }
        if (value instanceof String text && text.indexOf('\0') < 0) {
            if (dialect == Dialect.POSTGRESQL) {
                return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
            }
            if (dialect == Dialect.H2) {
                return "'" + text.replace("'", "''") + "'";
            }
        }
        return null;
    }

    private @Nullable String typedBind(Object value) {
        if (value instanceof java.time.LocalDate) {
            return dialect == Dialect.H2 || dialect == Dialect.MARIADB ? "DATE" : null;
        }
        if (value instanceof java.time.LocalDateTime) {
            return dialect == Dialect.H2 ? "TIMESTAMP" : dialect == Dialect.MARIADB ? "DATETIME(6)" : null;
        }
        return null;
    }
}
