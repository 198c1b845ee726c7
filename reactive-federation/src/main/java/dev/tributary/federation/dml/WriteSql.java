package dev.tributary.federation.dml;

import dev.tributary.core.Dialect;
import dev.tributary.federation.catalog.TableInfo;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of a write for its database: the statement as JSqlParser writes it back, with every table reference
 * replaced by its catalog name quoted for the dialect, and every parameter (and the key list of a keyed write)
 * replaced by the dialect's bind markers. Values are never written into the text.
 *
 * @param dialect the target database's dialect
 * @param text the statement with a sentinel per parameter ({@code MARK} and its number) and for the key list
 *     ({@code MARK K})
 * @param params the parameters by sentinel number
 */
record WriteSql(Dialect dialect, String text, List<Expr.Param> params) {

    private static final char MARK = '\u0001';
    private static final char KEYS = 'K';

    WriteSql {
        params = List.copyOf(params);
    }

    /**
     * Rewrites {@code statement} in place (its tables and parameters) and takes its text. Call it once, after
     * every other use of the statement's nodes.
     *
     * @param tables the catalog table of each table reference, by node identity
     * @param params the parameter nodes of the statement
     */
    static WriteSql of(Statement statement, Dialect dialect, Map<Table, TableInfo> tables, List<Expression> params) {
        tables.forEach((node, table) -> {
            node.setSchemaName(null);
            node.setName(dialect.quote(table.name()));
        });
        List<Expr.Param> sources = new ArrayList<>();
        for (Expression p : params) {
            if (p instanceof JdbcParameter jp) {
                sources.add(new Expr.Param(jp.getIndex() - 1, null));
                jp.setParameterCharacter(String.valueOf(MARK));
                jp.setUseFixedIndex(true);
                jp.setIndex(sources.size() - 1);
            } else {
                JdbcNamedParameter np = (JdbcNamedParameter) p;
                sources.add(new Expr.Param(-1, np.getName()));
                np.setParameterCharacter(String.valueOf(MARK));
                np.setName(String.valueOf(sources.size() - 1));
            }
        }
        return new WriteSql(dialect, statement.toString(), sources);
    }

    /** The node to put in place of a keyed write's {@code (SELECT ...)}: the key list's sentinel. */
    static Expression keyList() {
        JdbcNamedParameter keys = new JdbcNamedParameter(String.valueOf(KEYS));
        keys.setParameterCharacter(String.valueOf(MARK));
        return keys;
    }

    /** The SQL with {@code keyCount} markers in the key list, and the values to bind, in marker order. */
    Bound bind(Function<Expr.Param, @Nullable Object> values, List<?> keys) {
        StringBuilder sql = new StringBuilder(text.length() + keys.size() * 6);
        List<@Nullable Object> binds = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != MARK) {
                sql.append(c);
            } else if (i + 1 < text.length() && text.charAt(i + 1) == KEYS) {
                i++;
                sql.append('(');
                for (int k = 0; k < keys.size(); k++) {
                    sql.append(k == 0 ? "" : ", ").append(dialect.bindMarker(binds.size()));
                    binds.add(keys.get(k));
                }
                sql.append(')');
            } else {
                int end = i + 1;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                Expr.Param param = params.get(Integer.parseInt(text, i + 1, end, 10));
                sql.append(dialect.bindMarker(binds.size()));
                binds.add(values.apply(param));
                i = end - 1;
            }
        }
        return new Bound(sql.toString(), binds.toArray());
    }

    /** SQL with the dialect's markers and one value per marker. */
    record Bound(String sql, @Nullable Object[] binds) {
    }

    /** {@code INSERT INTO table (columns) VALUES (markers)} for a batch of rows. */
    static String insert(Dialect dialect, TableInfo table, List<String> columns) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(dialect.quote(table.name())).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i)));
        }
        sql.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.bindMarker(i));
        }
        return sql.append(')').toString();
    }
}
