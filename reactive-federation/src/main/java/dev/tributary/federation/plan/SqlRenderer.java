package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link PhysicalNode.Fragment} as SQL for its database's {@link Dialect}: identifiers quoted
 * with their catalog names, literals and parameters as bind markers, never concatenated.
 */
final class SqlRenderer {

    private static final String MARIADB_NO_LIMIT = "18446744073709551615";

    private final BoundQuery query;
    private final Dialect dialect;
    private final StringBuilder sql = new StringBuilder();
    private final List<FragmentSql.Bind> binds = new ArrayList<>();

    private SqlRenderer(BoundQuery query, Dialect dialect) {
        this.query = query;
        this.dialect = dialect;
    }

    /**
     * Renders a fragment.
     *
     * @param whole whether the fragment carries the whole query (DISTINCT, output names, ORDER BY, LIMIT)
     * @param inListSize for a dynamic filter outside PostgreSQL, the number of keys in this batch's IN list;
     *     ignored when the fragment has no dynamic filter or its database is PostgreSQL; {@code 0} renders
     *     the fragment without its dynamic filter
     */
    static FragmentSql render(BoundQuery query, PhysicalNode.Fragment fragment, boolean whole, int inListSize) {
        SqlRenderer r = new SqlRenderer(query, fragment.dialect);
        r.fragment(fragment, whole, inListSize);
        return new FragmentSql(r.sql.toString(), r.binds);
    }

    private void fragment(PhysicalNode.Fragment f, boolean whole, int inListSize) {
        sql.append("SELECT ");
        if (whole && query.distinct()) {
            sql.append("DISTINCT ");
        }
        for (int i = 0; i < f.outputs.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            Expr e = f.outputs.get(i);
            expr(e);
            if (whole) {
                String name = query.outputs().get(i).name();
                if (!(e instanceof Expr.Ref ref && columnName(ref).equals(name))) {
                    sql.append(" AS ").append(dialect.quote(name));
                }
            }
        }
        sql.append(" FROM ");
        from(f.from);
        List<Expr> where = f.where;
        boolean dynamic = f.dynamicFilter != null && (dialect == Dialect.POSTGRESQL || inListSize > 0);
        if (!where.isEmpty() || dynamic) {
            sql.append(" WHERE ");
            for (int i = 0; i < where.size(); i++) {
                if (i > 0) {
                    sql.append(" AND ");
                }
                nested(where.get(i), true);
            }
            if (dynamic) {
                if (!where.isEmpty()) {
                    sql.append(" AND ");
                }
                dynamicFilter(f.dynamicFilter, inListSize);
            }
        }
        if (whole) {
            orderAndLimit();
        }
    }

    private void dynamicFilter(PhysicalNode.DynamicFilter df, int inListSize) {
        expr(df.column());
        if (dialect == Dialect.POSTGRESQL) {
            sql.append(" = ANY(");
            bind(new FragmentSql.KeyArray(df.join(), df.javaType()));
            sql.append(')');
        } else {
            sql.append(" IN (");
            for (int i = 0; i < inListSize; i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                bind(new FragmentSql.Key(df.join(), i));
            }
            sql.append(')');
        }
    }

    private void orderAndLimit() {
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
                    expr(o.expr());
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
            sql.append(dialect.quote(leaf.relation().table().name())).append(' ')
                    .append(dialect.quote(leaf.relation().name()));
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
            sql.append(dialect.quote(query.relations().get(ref.relation()).name())).append('.')
                    .append(dialect.quote(columnName(ref)));
        } else if (e instanceof Expr.Literal lit) {
            literal(lit.value());
        } else if (e instanceof Expr.Param p) {
            bind(new FragmentSql.Param(p));
        } else if (e instanceof Expr.Binary b) {
            if (b.op() == Expr.BinaryOp.MOD) {
                sql.append("MOD(");
                expr(b.left());
                sql.append(", ");
                expr(b.right());
                sql.append(')');
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
        } else {
            throw new IllegalStateException("unbound expression in a fragment: " + e);
        }
    }

    private void literal(@Nullable Object value) {
        if (value == null) {
            sql.append("NULL");
        } else if (value instanceof Boolean b) {
            sql.append(b ? "TRUE" : "FALSE");
        } else {
            bind(new FragmentSql.Value(value));
        }
    }
}
