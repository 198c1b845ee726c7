package dev.tributary.federation.plan;

import dev.tributary.federation.UnknownColumnException;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.ArrayList;
import java.util.List;

/** Resolves a {@link SelectQuery}'s names against a {@link Catalog}: pure computation. */
public final class Binder {

    private final Catalog catalog;
    private final List<BoundQuery.Relation> relations = new ArrayList<>();

    private Binder(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Binds the query.
     *
     * @throws dev.tributary.federation.UnknownTableException if a table is unknown or ambiguous
     * @throws UnknownColumnException if a column is unknown or ambiguous
     * @throws UnsupportedSqlException if two relations share an exposed name
     */
    public static BoundQuery bind(SelectQuery query, Catalog catalog) {
        return new Binder(catalog).run(query);
    }

    private BoundQuery run(SelectQuery q) {
        for (SelectQuery.Relation r : q.relations()) {
            TableInfo table = catalog.resolve(r.schema(), r.table());
            String name = r.exposedName();
            for (BoundQuery.Relation other : relations) {
                if (other.name().equalsIgnoreCase(name)) {
                    throw new UnsupportedSqlException("table name '" + name + "' used twice", r.line(), r.col(),
                            "Give each table in FROM its own alias");
                }
            }
            relations.add(new BoundQuery.Relation(relations.size(), name, table, r.kind(), null));
        }
        for (int i = 0; i < relations.size(); i++) {
            SelectQuery.Relation r = q.relations().get(i);
            if (r.on() != null) {
                BoundQuery.Relation b = relations.get(i);
                relations.set(i, new BoundQuery.Relation(i, b.name(), b.table(), b.kind(), bind(r.on())));
            }
        }
        List<BoundQuery.Output> outputs = new ArrayList<>();
        for (SelectQuery.Item item : q.items()) {
            if (item instanceof SelectQuery.Star) {
                for (BoundQuery.Relation r : relations) {
                    expand(r, outputs);
                }
            } else if (item instanceof SelectQuery.TableStar ts) {
                expand(relation(ts.qualifier(), ts.qualifier() + ".*", ts.line(), ts.col()), outputs);
            } else if (item instanceof SelectQuery.ExprItem ei) {
                outputs.add(new BoundQuery.Output(outputName(ei), bind(ei.expr())));
            }
        }
        List<BoundQuery.Order> order = new ArrayList<>();
        for (SelectQuery.Order o : q.orderBy()) {
            order.add(new BoundQuery.Order(orderKey(o.expr(), outputs), o.descending(), o.effectiveNullsFirst()));
        }
        if (q.distinct()) {
            for (BoundQuery.Order o : order) {
                if (outputs.stream().noneMatch(out -> out.expr().equals(o.expr()))) {
                    throw new UnsupportedSqlException("ORDER BY expression not in the select list of SELECT DISTINCT",
                            0, 0, "With SELECT DISTINCT, ORDER BY expressions must appear in the select list");
                }
            }
        }
        Expr where = q.where() == null ? null : bind(q.where());
        return new BoundQuery(q.distinct(), relations, where, outputs, order, q.limit(), q.offset(),
                q.positionalParams(), q.namedParams());
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
        if (e instanceof Expr.Case) {
            return "case";
        }
        return "?column?";
    }

    private Expr orderKey(Expr e, List<BoundQuery.Output> outputs) {
        if (e instanceof Expr.Literal lit && lit.value() instanceof Integer pos) {
            if (pos < 1 || pos > outputs.size()) {
                throw new UnsupportedSqlException("ORDER BY position " + pos + " is not in the select list", 0, 0,
                        "The select list has " + outputs.size() + " columns");
            }
            return outputs.get(pos - 1).expr();
        }
        if (e instanceof Expr.Column c && c.qualifier() == null) {
            for (BoundQuery.Output o : outputs) {
                if (o.name().equalsIgnoreCase(c.name())) {
                    return o.expr();
                }
            }
        }
        return bind(e);
    }

    private Expr bind(Expr e) {
        return e.rewrite(x -> x instanceof Expr.Column c ? column(c) : x);
    }

    private Expr column(Expr.Column c) {
        if (c.qualifier() != null) {
            BoundQuery.Relation r = relation(c.qualifier(), c.toString(), c.line(), c.col());
            int i = r.table().indexOf(c.name());
            if (i < 0) {
                throw new UnknownColumnException(c.toString(), i == -2,
                        r.table().columnNames().stream().map(n -> r.name() + "." + n).toList());
            }
            return new Expr.Ref(r.index(), i);
        }
        List<Expr.Ref> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (BoundQuery.Relation r : relations) {
            int i = r.table().indexOf(c.name());
            if (i >= 0) {
                found.add(new Expr.Ref(r.index(), i));
                names.add(r.name() + "." + r.table().columns().get(i).name());
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            List<String> all = new ArrayList<>();
            relations.forEach(r -> r.table().columnNames().forEach(n -> all.add(r.name() + "." + n)));
            throw new UnknownColumnException(c.name(), false, all);
        }
        throw new UnknownColumnException(c.name(), true, names);
    }

    private BoundQuery.Relation relation(String qualifier, String written, int line, int col) {
        for (BoundQuery.Relation r : relations) {
            if (r.name().equalsIgnoreCase(qualifier)) {
                return r;
            }
        }
        throw new UnknownColumnException(written, false,
                relations.stream().map(r -> r.name() + ".*").toList());
    }

}
