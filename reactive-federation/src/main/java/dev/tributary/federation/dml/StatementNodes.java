package dev.tributary.federation.dml;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.sql.SqlFrontEnd;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The table references and parameters of a statement or expression, as JSqlParser nodes, found by JSqlParser's
 * own walk of every clause and subquery. References to WITH queries are left out.
 */
final class StatementNodes extends TablesNamesFinder<Void> {

    private final List<Table> tables = new ArrayList<>();
    private final List<Expression> params = new ArrayList<>();
    private final Set<String> withNames = new HashSet<>();

    private StatementNodes() {
    }

    /** The nodes of a whole statement parsed from {@code sql}. */
    static StatementNodes of(String sql, Statement statement) {
        return walk(sql, nodes -> nodes.getTables(statement));
    }

    /** The nodes of one expression of a statement parsed from {@code sql}. */
    static StatementNodes of(String sql, Expression expression) {
        return walk(sql, nodes -> nodes.getTables(expression));
    }

    private static StatementNodes walk(String sql, Consumer<StatementNodes> walk) {
        StatementNodes nodes = new StatementNodes();
        try {
            walk.accept(nodes);
        } catch (UnsupportedOperationException e) {
            throw SqlFrontEnd.unsupported(sql, String.valueOf(e.getMessage()), "", "Rewrite the statement without it");
        }
        return nodes;
    }

    /** The table references, WITH query names excluded, in the order the walk met them. */
    List<Table> tables() {
        return tables.stream()
                .filter(t -> t.getSchemaName() != null || !withNames.contains(t.getName().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** The {@code ?} ({@link JdbcParameter}) and {@code :name} ({@link JdbcNamedParameter}) markers. */
    List<Expression> params() {
        return params;
    }

    @Override
    public <S> Void visit(Table table, S context) {
        tables.add(table);
        return null;
    }

    @Override
    public <S> Void visit(WithItem<?> withItem, S context) {
        withNames.add(withItem.getAliasName().toLowerCase(Locale.ROOT));
        return super.visit(withItem, context);
    }

    @Override
    public <S> Void visit(JdbcParameter parameter, S context) {
        params.add(parameter);
        return null;
    }

    @Override
    public <S> Void visit(JdbcNamedParameter parameter, S context) {
        params.add(parameter);
        return null;
    }
}
