package dev.tributary.federation.dml;

import dev.tributary.federation.UnknownColumnException;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.plan.Binder;
import dev.tributary.federation.plan.BoundQuery;
import dev.tributary.federation.plan.PhysicalPlan;
import dev.tributary.federation.plan.Planner;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SqlFrontEnd;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides how a federated INSERT, UPDATE or DELETE runs ({@link WritePlan}), resolving every table through the
 * catalog; refuses what it cannot run with {@link UnsupportedSqlException}. Pure: touches no database, so every
 * refusal comes before anything is written.
 */
final class WriteAnalyzer {

    private static final String USE_ONE_DATABASE = "run it on one database with Database.update(...)";

    private final String sql;
    private final Catalog catalog;
    private final int dynamicFilterMaxKeys;
    /** The catalog table of every table reference of the statement, by node. */
    private final Map<Table, TableInfo> tables = new IdentityHashMap<>();
    private @Nullable TableInfo target;

    private WriteAnalyzer(String sql, Catalog catalog, int dynamicFilterMaxKeys) {
        this.sql = sql;
        this.catalog = catalog;
        this.dynamicFilterMaxKeys = dynamicFilterMaxKeys;
    }

    /**
     * The plan of a write.
     *
     * @throws UnsupportedSqlException for a statement that is not INSERT, UPDATE or DELETE, or a shape across
     *     databases that cannot be run
     * @throws dev.tributary.federation.UnknownTableException for an unknown or ambiguous table
     * @throws UnknownColumnException for an unknown column of the written table
     */
    static WritePlan analyze(String sql, Catalog catalog, int dynamicFilterMaxKeys) {
        return new WriteAnalyzer(sql, catalog, dynamicFilterMaxKeys).analyze();
    }

    private WritePlan analyze() {
        Statement statement = SqlFrontEnd.statement(sql);
        if (!(statement instanceof Insert || statement instanceof Update || statement instanceof Delete)) {
            String kind = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
            throw refuse(kind + " statement", sql.strip().split("\\s+")[0],
                    "Federation.update runs INSERT, UPDATE and DELETE; " + USE_ONE_DATABASE);
        }
        StatementNodes nodes = StatementNodes.of(sql, statement);
        List<Expr.Param> markers = nodes.params().stream().map(WriteAnalyzer::param).toList();
        WritePlan.Params params = WritePlan.params(markers);
        if (params.positional() > 0 && !params.named().isEmpty()) {
            throw refuse("mixing ? and :name parameters", "?", "Use one kind of parameter");
        }
        if (statement instanceof Insert insert) {
            return insert(insert, nodes, params);
        }
        if (statement instanceof Update update) {
            return update(update, nodes, params);
        }
        return delete((Delete) statement, nodes, params);
    }

    private WritePlan insert(Insert insert, StatementNodes nodes, WritePlan.Params params) {
        refuseReturningAndWith(insert.getReturningClause() != null, insert.getWithItemsList(), "INSERT");
        TableInfo into = target(insert.getTable(), nodes);
        List<String> columns = insertColumns(insert, into);
        boolean local = local();
        if (insert.getSelect() instanceof Values values) {
            for (Expression row : rows(values.getExpressions())) {
                int n = row instanceof ExpressionList<?> list ? list.size() : 1;
                if (n != columns.size()) {
                    throw refuse("INSERT of " + columns.size() + " columns with a VALUES row of " + n + " values",
                            "VALUES", "Give one value per column of the column list (or of the table)");
                }
            }
            if (!local) {
                throw refuse("subquery on another database in INSERT ... VALUES", "VALUES",
                        "Write it as INSERT ... SELECT, or " + USE_ONE_DATABASE);
            }
            return routed(insert, nodes, params);
        }
        if (insert.getSelect() == null) {
            if (!local) {
                throw refuse("INSERT ... SET with a subquery on another database", "SET",
                        "Write it as INSERT ... SELECT");
            }
            return routed(insert, nodes, params);
        }
        BoundQuery source = Binder.bind(SqlFrontEnd.select(sql, insert.getSelect()), catalog);
        int n = source.columnNames().size();
        if (n != columns.size()) {
            throw refuse("INSERT of " + columns.size() + " columns from a SELECT of " + n + " columns", "SELECT",
                    "Select one value per column of the column list (or of the table)");
        }
        if (local) {
            return routed(insert, nodes, params);
        }
        if (insert.getConflictAction() != null || insert.isUseDuplicate() || insert.isModifierIgnore()) {
            String what = insert.isUseDuplicate() ? "DUPLICATE" : insert.isModifierIgnore() ? "IGNORE" : "CONFLICT";
            throw refuse("INSERT ... " + what + " from a SELECT on another database", what,
                    "Rows from another database are inserted in plain batches; write them to a staging table first");
        }
        PhysicalPlan plan = Planner.plan(source, catalog, dynamicFilterMaxKeys);
        return new WritePlan.StreamedInsert(into.database(),
                WriteSql.insert(catalog.dialect(into.database()), into, columns), plan, params);
    }

    private WritePlan update(Update update, StatementNodes nodes, WritePlan.Params params) {
        refuseReturningAndWith(update.getReturningClause() != null, update.getWithItemsList(), "UPDATE");
        TableInfo table = target(update.getTable(), nodes);
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column c : set.getColumns()) {
                column(table, SqlFrontEnd.unquote(c.getColumnName()));
            }
        }
        if (local()) {
            return routed(update, nodes, params);
        }
        if (update.getFromItem() != null || update.getJoins() != null && !update.getJoins().isEmpty()
                || update.getStartJoins() != null && !update.getStartJoins().isEmpty()) {
            throw refuse("UPDATE with a join across databases", update.getFromItem() != null ? "FROM" : "JOIN",
                    "Write the condition on the other database as col IN (SELECT key FROM ...)");
        }
        for (UpdateSet set : update.getUpdateSets()) {
            for (Expression value : set.getValues()) {
                if (foreign(value)) {
                    throw refuse("subquery on another database in SET", "SET",
                            "Only the WHERE condition may read other databases, as col IN (SELECT key FROM ...)");
                }
            }
        }
        refuseOrderAndLimit(update.getOrderByElements() != null, update.getLimit() != null, "UPDATE");
        return keyed(update, update.getWhere(), update::setWhere, nodes, params);
    }

    private WritePlan delete(Delete delete, StatementNodes nodes, WritePlan.Params params) {
        refuseReturningAndWith(delete.getReturningClause() != null, delete.getWithItemsList(), "DELETE");
        target(delete.getTable(), nodes);
        if (local()) {
            return routed(delete, nodes, params);
        }
        if (delete.getTables() != null && !delete.getTables().isEmpty()
                || delete.getUsingList() != null && !delete.getUsingList().isEmpty()
                || delete.getJoins() != null && !delete.getJoins().isEmpty()) {
            throw refuse("multi-table DELETE across databases", "DELETE",
                    "Write the condition on the other database as col IN (SELECT key FROM ...)");
        }
        refuseOrderAndLimit(delete.getOrderByElements() != null, delete.getLimit() != null, "DELETE");
        return keyed(delete, delete.getWhere(), delete::setWhere, nodes, params);
    }

    /**
     * An UPDATE or DELETE whose WHERE is a conjunction of conditions on the written database and one
     * {@code col IN (SELECT ...)} on others.
     */
    private WritePlan keyed(Statement statement, @Nullable Expression where,
            Consumer<Expression> setWhere, StatementNodes nodes, WritePlan.Params params) {
        List<Expression> conjuncts = new ArrayList<>();
        if (where != null) {
            flatten(where, conjuncts);
        }
        InExpression keyed = null;
        List<Expression> rewritten = new ArrayList<>();
        for (Expression c : conjuncts) {
            if (!foreign(c)) {
                rewritten.add(new ParenthesedExpressionList<>(c));
            } else if (keyed == null && c instanceof InExpression in && !in.isNot()
                    && in.getRightExpression() instanceof ParenthesedSelect && !foreign(in.getLeftExpression())) {
                keyed = in;
                rewritten.add(new InExpression(in.getLeftExpression(), WriteSql.keyList()));
            } else {
                throw refuseCondition(c, keyed != null);
            }
        }
        if (keyed == null) {
            throw refuse("statement across databases", "WHERE",
                    "Only a WHERE condition col IN (SELECT key FROM ...) may read other databases");
        }
        BoundQuery keys = Binder.bind(SqlFrontEnd.select(sql, (ParenthesedSelect) keyed.getRightExpression()), catalog);
        if (keys.columnNames().size() != 1) {
            throw refuse("IN (SELECT ...) of " + keys.columnNames().size() + " columns", "IN",
                    "Select the one key column");
        }
        PhysicalPlan plan = Planner.plan(keys, catalog, dynamicFilterMaxKeys);
        Expression condition = rewritten.get(0);
        for (int i = 1; i < rewritten.size(); i++) {
            condition = new AndExpression(condition, rewritten.get(i));
        }
        setWhere.accept(condition);
        TableInfo table = target();
        return new WritePlan.KeyedWrite(table.database(), sql(statement, nodes), plan, params);
    }

    private UnsupportedSqlException refuseCondition(Expression c, boolean second) {
        Expression inner = c instanceof NotExpression n ? n.getExpression() : c;
        if (inner instanceof ExistsExpression) {
            return refuse("[NOT] EXISTS on another database in an UPDATE or DELETE", "EXISTS",
                    "Write it as col IN (SELECT key FROM ...); NOT EXISTS cannot be split into batches of keys");
        }
        if (c instanceof NotExpression || c instanceof InExpression in && in.isNot()) {
            return refuse("NOT IN (SELECT ...) on another database in an UPDATE or DELETE", "NOT",
                    "NOT IN cannot be split into batches of keys; select the keys to write with IN (SELECT ...) instead");
        }
        if (second && c instanceof InExpression) {
            return refuse("a second IN (SELECT ...) on another database", "IN",
                    "Only one condition may read other databases; combine them into one subquery");
        }
        return refuse("condition on another database other than col IN (SELECT ...): " + c, "WHERE",
                "Only a top-level AND of conditions on the written table and one col IN (SELECT key FROM ...)"
                        + " on other databases can run; " + USE_ONE_DATABASE);
    }

    /** The top-level AND operands of a condition, through parentheses. */
    private static void flatten(Expression e, List<Expression> out) {
        for (Expression c : SqlFrontEnd.conjuncts(e)) {
            if (c instanceof ParenthesedExpressionList<?> p && p.size() == 1 && p.get(0) instanceof AndExpression) {
                flatten(p.get(0), out);
            } else {
                out.add(c);
            }
        }
    }

    private List<String> insertColumns(Insert insert, TableInfo table) {
        if (insert.getColumns() == null || insert.getColumns().isEmpty()) {
            return table.columnNames();
        }
        List<String> columns = new ArrayList<>();
        for (Column c : insert.getColumns()) {
            columns.add(column(table, SqlFrontEnd.unquote(c.getColumnName())));
        }
        return columns;
    }

    /** The catalog name of a column of the written table. */
    private static String column(TableInfo table, String name) {
        int i = table.indexOf(name);
        if (i < 0) {
            List<String> known = table.columnNames().stream().map(c -> table.name() + "." + c).toList();
            throw new UnknownColumnException(name, i == -2, known);
        }
        return table.columns().get(i).name();
    }

    /** Resolves the written table and every other table of the statement. */
    private TableInfo target(Table node, StatementNodes nodes) {
        TableInfo table = resolve(node);
        target = table;
        tables.put(node, table);
        for (Table t : nodes.tables()) {
            tables.computeIfAbsent(t, this::resolve);
        }
        return table;
    }

    private TableInfo target() {
        return Objects.requireNonNull(target);
    }

    private TableInfo resolve(Table node) {
        if (node.getNameParts().size() > 2) {
            throw refuse("table name with more than two parts (" + node.getFullyQualifiedName() + ")",
                    node.getFullyQualifiedName(), "Name tables database.table");
        }
        String schema = node.getSchemaName() == null ? null : SqlFrontEnd.unquote(node.getSchemaName());
        return catalog.resolve(schema, SqlFrontEnd.unquote(node.getName()));
    }

    /** Whether every table of the statement is in the written table's database. */
    private boolean local() {
        String db = target().database();
        return tables.values().stream().allMatch(t -> t.database().equals(db));
    }

    /** Whether {@code e} reads a table of another database than the written one. */
    private boolean foreign(Expression e) {
        String db = target().database();
        return StatementNodes.of(sql, e).tables().stream()
                .anyMatch(t -> !tables.computeIfAbsent(t, this::resolve).database().equals(db));
    }

    private WritePlan routed(Statement statement, StatementNodes nodes, WritePlan.Params params) {
        return new WritePlan.Routed(target().database(), sql(statement, nodes), params);
    }

    private WriteSql sql(Statement statement, StatementNodes nodes) {
        return WriteSql.of(statement, catalog.dialect(target().database()), tables, nodes.params());
    }

    private static Expr.Param param(Expression marker) {
        return marker instanceof JdbcParameter p
                ? new Expr.Param(p.getIndex() - 1, null)
                : new Expr.Param(-1, ((JdbcNamedParameter) marker).getName());
    }

    /** The rows of a VALUES list: one row of values, or several parenthesized rows. */
    private static List<Expression> rows(ExpressionList<?> values) {
        boolean multi = !values.isEmpty() && values.stream().allMatch(e -> e instanceof ExpressionList<?>);
        return multi ? new ArrayList<>(values) : List.of(values);
    }

    private void refuseReturningAndWith(boolean returning, @Nullable List<?> with, String kind) {
        if (returning) {
            throw refuse(kind + " ... RETURNING", "RETURNING",
                    "Federation.update emits the count of rows written; run " + kind + " ... RETURNING on one"
                            + " database with Database.query(...)");
        }
        if (with != null && !with.isEmpty()) {
            throw refuse("WITH before " + kind, "WITH", "Move the WITH query into a subquery, or " + USE_ONE_DATABASE);
        }
    }

    private void refuseOrderAndLimit(boolean order, boolean limit, String kind) {
        if (order || limit) {
            throw refuse(kind + " ... " + (order ? "ORDER BY" : "LIMIT") + " across databases", order ? "ORDER" : "LIMIT",
                    "The keys from other databases are written in batches, so a limit cannot hold; select the keys"
                            + " with their ORDER BY and LIMIT inside the IN (SELECT ...)");
        }
    }

    private UnsupportedSqlException refuse(String construct, String keyword, String hint) {
        return SqlFrontEnd.unsupported(sql, construct, keyword, hint);
    }
}
