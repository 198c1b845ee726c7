package dev.tributary.federation.plan;

import dev.tributary.federation.UnknownColumnException;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.ColumnInfo;
import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.QueryNode;
import dev.tributary.federation.sql.SelectQuery;
import dev.tributary.federation.sql.SetQuery;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a {@link SelectQuery}'s names against a {@link Catalog}: pure computation. Every block (the
 * statement, its derived tables, WITH queries, subqueries and UNION branches) is bound in its own scope;
 * a name not found in a block's FROM is looked up in the enclosing blocks (a correlated reference).
 */
public final class Binder {

    private final Catalog catalog;
    private final List<BoundQuery.Relation> all = new ArrayList<>();

    private Binder(Catalog catalog) {
        this.catalog = catalog;
    }

    /** One block's names: its FROM relations, and the enclosing block's scope. */
    private static final class Scope {
        final @Nullable Scope parent;
        final List<BoundQuery.Relation> from = new ArrayList<>();

        Scope(@Nullable Scope parent) {
            this.parent = parent;
        }
    }

    /**
     * Binds the statement.
     *
     * @throws dev.tributary.federation.UnknownTableException if a table is unknown or ambiguous
     * @throws UnknownColumnException if a column is unknown or ambiguous
     * @throws UnsupportedSqlException if two relations of a block share an exposed name, an aggregate is
     *     misplaced, a column is neither grouped nor aggregated, or a subquery has the wrong number of columns
     */
    public static BoundQuery bind(SelectQuery query, Catalog catalog) {
        Binder binder = new Binder(catalog);
        return binder.block(query, null, query.positionalParams(), query.namedParams());
    }

    private BoundBody body(QueryNode node, @Nullable Scope parent) {
        if (node instanceof SelectQuery q) {
            return block(q, parent, 0, List.of());
        }
        if (node instanceof SetQuery s) {
            BoundBody left = body(s.left(), parent);
            BoundBody right = body(s.right(), parent);
            if (left.columnNames().size() != right.columnNames().size()) {
                throw new UnsupportedSqlException("each UNION query must have the same number of columns ("
                        + left.columnNames().size() + " and " + right.columnNames().size() + ")", 0, 0,
                        "Select as many columns in every branch of the UNION");
            }
            return new BoundSet(s.all(), left, right);
        }
        if (node instanceof BoundBody b) {
            return b;
        }
        throw new IllegalStateException("unknown query node " + node);
    }

    private BoundQuery block(SelectQuery q, @Nullable Scope parent, int positional, List<String> named) {
        int first = all.size();
        Scope scope = new Scope(parent);
        for (SelectQuery.Relation r : q.relations()) {
            BoundBody derived = r.subquery() == null ? null : body(r.subquery(), parent);
            TableInfo table = derived == null ? catalog.resolve(r.schema(), r.table()) : DerivedTables.table(r.exposedName(), derived, all);
            String name = r.exposedName();
            for (BoundQuery.Relation other : scope.from) {
                if (other.name().equalsIgnoreCase(name)) {
                    throw new UnsupportedSqlException("table name '" + name + "' used twice", r.line(), r.col(),
                            "Give each table in FROM its own alias");
                }
            }
            BoundQuery.Relation rel = new BoundQuery.Relation(all.size(), name, table, r.kind(), null, derived);
            all.add(rel);
            scope.from.add(rel);
        }
        for (int i = 0; i < scope.from.size(); i++) {
            SelectQuery.Relation r = q.relations().get(i);
            if (r.on() != null) {
                Expr on = bind(r.on(), scope);
                noAggregate(on, "JOIN conditions");
                BoundQuery.Relation b = scope.from.get(i).withOn(on);
                scope.from.set(i, b);
                all.set(b.index(), b);
            }
        }
        List<BoundQuery.Output> outputs = new ArrayList<>();
        for (SelectQuery.Item item : q.items()) {
            if (item instanceof SelectQuery.Star) {
                for (BoundQuery.Relation r : scope.from) {
                    expand(r, outputs);
                }
            } else if (item instanceof SelectQuery.TableStar ts) {
                expand(local(scope, ts.qualifier(), ts.qualifier() + ".*"), outputs);
            } else if (item instanceof SelectQuery.ExprItem ei) {
                outputs.add(new BoundQuery.Output(outputName(ei), bind(ei.expr(), scope)));
            }
        }
        Expr where = q.where() == null ? null : bind(q.where(), scope);
        if (where != null) {
            noAggregate(where, "WHERE");
        }
        List<Expr> groupBy = new ArrayList<>();
        for (Expr g : q.groupBy()) {
            Expr key = groupKey(g, outputs, scope);
            noAggregate(key, "GROUP BY");
            groupBy.add(key);
        }
        Expr having = q.having() == null ? null : bind(q.having(), scope);
        List<BoundQuery.Order> order = new ArrayList<>();
        for (SelectQuery.Order o : q.orderBy()) {
            order.add(new BoundQuery.Order(orderKey(o.expr(), outputs, scope), o.descending(), o.effectiveNullsFirst()));
        }
        boolean aggregated = !groupBy.isEmpty() || having != null
                || outputs.stream().anyMatch(o -> hasAggregate(o.expr()))
                || order.stream().anyMatch(o -> hasAggregate(o.expr()));
        if (aggregated) {
            BitSet local = new BitSet();
            scope.from.forEach(r -> local.set(r.index()));
            for (BoundQuery.Output o : outputs) {
                grouped(o.expr(), groupBy, local, "the select list");
            }
            if (having != null) {
                grouped(having, groupBy, local, "HAVING");
            }
            for (BoundQuery.Order o : order) {
                grouped(o.expr(), groupBy, local, "ORDER BY");
            }
        }
        if (q.distinct()) {
            for (BoundQuery.Order o : order) {
                if (outputs.stream().noneMatch(out -> out.expr().equals(o.expr()))) {
                    throw new UnsupportedSqlException("ORDER BY expression not in the select list of SELECT DISTINCT",
                            0, 0, "With SELECT DISTINCT, ORDER BY expressions must appear in the select list");
                }
            }
        }
        return new BoundQuery(all, scope.from, q.distinct(), where, groupBy, aggregated, having, outputs, order,
                q.limit(), q.offset(), positional, named, first, all.size());
    }

    private void expand(BoundQuery.Relation r, List<BoundQuery.Output> outputs) {
        List<String> names = r.table().columnNames();
        for (int c = 0; c < names.size(); c++) {
            outputs.add(new BoundQuery.Output(names.get(c), new Expr.Ref(r.index(), c)));
        }
    }

    private static String outputName(SelectQuery.ExprItem item) {
        if (item.alias() != null) {
            return item.alias();
        }
        Expr e = item.expr();
        if (e instanceof Expr.Column c) {
            return c.name();
        }
        if (e instanceof Expr.Call || e instanceof Expr.Cast) {
            return Functions.outputName(e);
        }
        if (e instanceof Expr.Agg agg) {
            return agg.function().toLowerCase(Locale.ROOT);
        }
        if (e instanceof Expr.Case) {
            return "case";
        }
        if (e instanceof Expr.Exists) {
            return "exists";
        }
        return "?column?";
    }

    /** A GROUP BY item: an ordinal or an output alias that is not an input column names an output expression. */
    private Expr groupKey(Expr e, List<BoundQuery.Output> outputs, Scope scope) {
        if (e instanceof Expr.Literal lit && lit.value() instanceof Integer pos) {
            return ordinal(pos, outputs, "GROUP BY");
        }
        if (e instanceof Expr.Column c && c.qualifier() == null
                && scope.from.stream().noneMatch(r -> r.table().indexOf(c.name()) >= 0)) {
            for (BoundQuery.Output o : outputs) {
                if (o.name().equalsIgnoreCase(c.name())) {
                    return o.expr();
                }
            }
        }
        return bind(e, scope);
    }

    private Expr orderKey(Expr e, List<BoundQuery.Output> outputs, Scope scope) {
        if (e instanceof Expr.Literal lit && lit.value() instanceof Integer pos) {
            return ordinal(pos, outputs, "ORDER BY");
        }
        if (e instanceof Expr.Column c && c.qualifier() == null) {
            for (BoundQuery.Output o : outputs) {
                if (o.name().equalsIgnoreCase(c.name())) {
                    return o.expr();
                }
            }
        }
        return bind(e, scope);
    }

    private static Expr ordinal(int pos, List<BoundQuery.Output> outputs, String clause) {
        if (pos < 1 || pos > outputs.size()) {
            throw new UnsupportedSqlException(clause + " position " + pos + " is not in the select list", 0, 0,
                    "The select list has " + outputs.size() + " columns");
        }
        return outputs.get(pos - 1).expr();
    }

    private Expr bind(Expr e, Scope scope) {
        return e.rewrite(x -> {
            if (x instanceof Expr.Column c) {
                return column(c, scope);
            }
            if (x instanceof Expr.ScalarSubquery s) {
                return new Expr.ScalarSubquery(oneColumn(body(s.query(), scope), "a scalar subquery"));
            }
            if (x instanceof Expr.Exists s) {
                return new Expr.Exists(body(s.query(), scope));
            }
            if (x instanceof Expr.InSubquery in) {
                return new Expr.InSubquery(in.operand(), oneColumn(body(in.query(), scope), "an IN subquery"),
                        in.negated());
            }
            return x;
        });
    }

    private static BoundBody oneColumn(BoundBody b, String what) {
        if (b.columnNames().size() != 1) {
            throw new UnsupportedSqlException(what + " must return one column, not " + b.columnNames().size(), 0, 0,
                    "Select exactly one column in " + what);
        }
        return b;
    }

    private Expr column(Expr.Column c, Scope scope) {
        for (Scope s = scope; s != null; s = s.parent) {
            if (c.qualifier() != null) {
                BoundQuery.Relation r = find(s, c.qualifier());
                if (r == null) {
                    continue;
                }
                int i = r.table().indexOf(c.name());
                if (i < 0) {
                    throw new UnknownColumnException(c.toString(), i == -2,
                            r.table().columnNames().stream().map(n -> r.name() + "." + n).toList());
                }
                return new Expr.Ref(r.index(), i);
            }
            List<Expr.Ref> found = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (BoundQuery.Relation r : s.from) {
                int i = r.table().indexOf(c.name());
                if (i >= 0) {
                    found.add(new Expr.Ref(r.index(), i));
                    names.add(r.name() + "." + r.table().columns().get(i).name());
                }
            }
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.size() > 1) {
                throw new UnknownColumnException(c.name(), true, names);
            }
        }
        if (c.qualifier() != null) {
            local(scope, c.qualifier(), c.toString());
        }
        List<String> candidates = new ArrayList<>();
        scope.from.forEach(r -> r.table().columnNames().forEach(n -> candidates.add(r.name() + "." + n)));
        throw new UnknownColumnException(c.name(), false, candidates);
    }

    private static BoundQuery.@Nullable Relation find(Scope scope, String qualifier) {
        for (BoundQuery.Relation r : scope.from) {
            if (r.name().equalsIgnoreCase(qualifier)) {
                return r;
            }
        }
        return null;
    }

    private static BoundQuery.Relation local(Scope scope, String qualifier, String written) {
        BoundQuery.Relation r = find(scope, qualifier);
        if (r == null) {
            throw new UnknownColumnException(written, false, scope.from.stream().map(x -> x.name() + ".*").toList());
        }
        return r;
    }

    private static boolean hasAggregate(Expr e) {
        boolean[] found = {false};
        e.forEach(x -> found[0] |= x instanceof Expr.Agg);
        return found[0];
    }

    private static void noAggregate(Expr e, String clause) {
        if (hasAggregate(e)) {
            throw new UnsupportedSqlException("aggregate function in " + clause, 0, 0,
                    "Aggregates are allowed in the select list, HAVING and ORDER BY; filter groups with HAVING");
        }
    }

    /** Checks that {@code e} uses this block's columns only inside GROUP BY expressions or aggregates. */
    private void grouped(Expr e, List<Expr> keys, BitSet local, String clause) {
        if (keys.contains(e)) {
            return;
        }
        if (e instanceof Expr.Agg a) {
            if (a.arg() != null && hasAggregate(a.arg())) {
                throw new UnsupportedSqlException("aggregate function calls cannot be nested", 0, 0,
                        "Compute the inner aggregate in a derived table");
            }
            return;
        }
        if (e instanceof Expr.Ref r && local.get(r.relation())) {
            BoundQuery.Relation rel = all.get(r.relation());
            String column = rel.name() + "." + rel.table().columns().get(r.column()).name();
            throw new UnsupportedSqlException("column " + column + " must appear in the GROUP BY clause or be used"
                    + " in an aggregate function (in " + clause + ")", 0, 0,
                    "Add it to GROUP BY, or aggregate it (MIN, MAX, ...)");
        }
        for (Expr child : e.children()) {
            grouped(child, keys, local, clause);
        }
    }
}
