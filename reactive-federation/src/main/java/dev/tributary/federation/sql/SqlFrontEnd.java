package dev.tributary.federation.sql;

import dev.tributary.federation.UnsupportedSqlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.parser.ASTNodeAccessImpl;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.SimpleNode;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import org.jspecify.annotations.Nullable;

/**
 * Parses SQL text with JSqlParser into a {@link SelectQuery}. Pure: touches no database. Everything
 * outside the supported subset fails with {@link UnsupportedSqlException} naming the construct and its
 * position.
 */
public final class SqlFrontEnd {

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private final String sql;
    private final ExpressionConverter expressions;

    private SqlFrontEnd(String sql) {
        this.sql = sql;
        this.expressions = new ExpressionConverter(this);
    }

    /**
     * Parses one SELECT statement.
     *
     * @throws UnsupportedSqlException if the text does not parse, is not a SELECT, or uses a construct
     *     outside the supported subset
     */
    public static SelectQuery parse(String sql) {
        return new SqlFrontEnd(sql).parseStatement();
    }

    private SelectQuery parseStatement() {
        Statement statement;
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(sql);
            statement = parser.Statement();
        } catch (Exception e) {
            throw syntaxError(e);
        }
        if (statement == null) {
            throw new UnsupportedSqlException("empty statement", 1, 1, "Pass one SELECT statement");
        }
        if (!(statement instanceof Select select)) {
            String kind = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
            throw new UnsupportedSqlException(kind + " statement", 1, firstNonBlankColumn(),
                    "Federation runs SELECT statements only; run " + kind
                            + " on one database with Database.update(...)");
        }
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            throw unsupported("WITH (common table expressions)", "WITH", null);
        }
        if (select instanceof SetOperationList set) {
            String op = set.getOperations().isEmpty() ? "UNION" : set.getOperations().get(0).toString();
            throw unsupported(op, op.split(" ")[0], null);
        }
        if (!(select instanceof PlainSelect plain)) {
            throw unsupported("parenthesized or VALUES query", "(", null);
        }
        return convert(plain);
    }

    private SelectQuery convert(PlainSelect ps) {
        boolean distinct = false;
        if (ps.getDistinct() != null) {
            if (ps.getDistinct().getOnSelectItems() != null && !ps.getDistinct().getOnSelectItems().isEmpty()) {
                throw unsupported("DISTINCT ON", "DISTINCT", null);
            }
            if (ps.getDistinct().isUseUnique()) {
                throw unsupported("SELECT UNIQUE", "UNIQUE", null);
            }
            distinct = true;
        }
        List<SelectQuery.Item> items = new ArrayList<>();
        for (SelectItem<?> item : ps.getSelectItems()) {
            items.add(selectItem(item));
        }
        refuseExtras(ps);
        if (ps.getFromItem() == null) {
            throw unsupported("SELECT without FROM", "SELECT", null);
        }
        List<SelectQuery.Relation> relations = new ArrayList<>();
        relations.add(relation(ps.getFromItem(), SelectQuery.JoinKind.FROM, null));
        if (ps.getJoins() != null) {
            for (Join join : ps.getJoins()) {
                relations.add(join(join));
            }
        }
        Expr where = ps.getWhere() == null ? null : expressions.convert(ps.getWhere());
        List<SelectQuery.Order> orderBy = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                if (o.isMysqlWithRollup()) {
                    throw unsupported("WITH ROLLUP", "ROLLUP", null);
                }
                Boolean nullsFirst = switch (o.getNullOrdering() == null ? "" : o.getNullOrdering().name()) {
                    case "NULLS_FIRST" -> Boolean.TRUE;
                    case "NULLS_LAST" -> Boolean.FALSE;
                    default -> null;
                };
                orderBy.add(new SelectQuery.Order(expressions.convert(o.getExpression()), !o.isAsc(), nullsFirst));
            }
        }
        Expr limit = null;
        Expr offset = null;
        Limit l = ps.getLimit();
        if (l != null) {
            if (l.getByExpressions() != null) {
                throw unsupported("LIMIT BY", "LIMIT", null);
            }
            if (l.getRowCount() != null && !l.isLimitAll() && !l.isLimitNull()) {
                limit = limitValue(expressions.convert(l.getRowCount()), "LIMIT");
            }
            if (l.getOffset() != null) {
                offset = limitValue(expressions.convert(l.getOffset()), "LIMIT");
            }
        }
        if (ps.getOffset() != null) {
            offset = limitValue(expressions.convert(ps.getOffset().getOffset()), "OFFSET");
        }
        if (ps.getFetch() != null) {
            if (ps.getFetch().getFetchParameters().stream().anyMatch(p -> !p.equalsIgnoreCase("ONLY"))) {
                throw unsupported("FETCH ... " + ps.getFetch().getFetchParameters(), "FETCH", null);
            }
            if (ps.getFetch().getExpression() == null) {
                limit = new Expr.Literal(ps.getFetch().getRowCount() > 0 ? ps.getFetch().getRowCount() : 1L);
            } else {
                limit = limitValue(expressions.convert(ps.getFetch().getExpression()), "FETCH");
            }
        }
        return new SelectQuery(distinct, items, relations, where, orderBy, limit, offset,
                expressions.positionalCount(), List.copyOf(expressions.names()));
    }

    private Expr limitValue(Expr e, String clause) {
        if (e instanceof Expr.Param) {
            return e;
        }
        if (e instanceof Expr.Literal lit && lit.value() instanceof Number n && n.longValue() >= 0
                && !(n instanceof java.math.BigDecimal)) {
            return new Expr.Literal(n.longValue());
        }
        throw unsupported(clause + " with an expression other than a non-negative integer or a parameter", clause, null);
    }

    private void refuseExtras(PlainSelect ps) {
        if (ps.getGroupBy() != null) {
            throw unsupported("GROUP BY", "GROUP", null);
        }
        if (ps.getHaving() != null) {
            throw unsupported("HAVING", "HAVING", null);
        }
        if (ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
            throw unsupported("SELECT INTO", "INTO", null);
        }
        if (ps.getForMode() != null || ps.getForClause() != null) {
            throw unsupported("FOR UPDATE/SHARE", "FOR", null);
        }
        if (ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty()) {
            throw unsupported("WINDOW", "WINDOW", null);
        }
        if (ps.getQualify() != null) {
            throw unsupported("QUALIFY", "QUALIFY", null);
        }
        if (ps.getTop() != null) {
            throw unsupported("TOP", "TOP", null);
        }
        if (ps.getLateralViews() != null && !ps.getLateralViews().isEmpty()) {
            throw unsupported("LATERAL VIEW", "LATERAL", null);
        }
        if (ps.getOracleHierarchical() != null) {
            throw unsupported("CONNECT BY", "CONNECT", null);
        }
    }

    private SelectQuery.Item selectItem(SelectItem<?> item) {
        var e = item.getExpression();
        if (e instanceof AllTableColumns atc) {
            int[] pos = position(atc, atc.getTable().getName());
            return new SelectQuery.TableStar(atc.getTable().getUnquotedName(), pos[0], pos[1]);
        }
        if (e instanceof AllColumns ac) {
            if (ac.getExceptColumns() != null && !ac.getExceptColumns().isEmpty()
                    || ac.getReplaceExpressions() != null && !ac.getReplaceExpressions().isEmpty()) {
                throw unsupported("* EXCEPT/REPLACE", "*", ac);
            }
            return new SelectQuery.Star();
        }
        String alias = item.getAlias() == null ? null : unquote(item.getAlias().getName());
        if (item.getAlias() != null && item.getAlias().getAliasColumns() != null
                && !item.getAlias().getAliasColumns().isEmpty()) {
            throw unsupported("alias column list", item.getAlias().getName(), null);
        }
        return new SelectQuery.ExprItem(expressions.convert(e), alias);
    }

    private SelectQuery.Relation join(Join join) {
        if (join.isNatural()) {
            throw unsupported("NATURAL JOIN", "NATURAL", null);
        }
        if (join.getUsingColumns() != null && !join.getUsingColumns().isEmpty()) {
            throw unsupported("JOIN ... USING", "USING", null);
        }
        if (join.isApply() || join.isSemi() || join.isStraight() || join.isWindowJoin() || join.isGlobal()) {
            throw unsupported(join.toString().trim().split(" ")[0] + " join", join.toString().trim().split(" ")[0], null);
        }
        SelectQuery.JoinKind kind;
        if (join.isSimple() || join.isCross()) {
            kind = SelectQuery.JoinKind.CROSS;
        } else if (join.isLeft()) {
            kind = SelectQuery.JoinKind.LEFT;
        } else if (join.isRight()) {
            kind = SelectQuery.JoinKind.RIGHT;
        } else if (join.isFull()) {
            kind = SelectQuery.JoinKind.FULL;
        } else {
            kind = SelectQuery.JoinKind.INNER;
        }
        var ons = join.getOnExpressions();
        Expr on = null;
        if (ons != null && !ons.isEmpty()) {
            if (kind == SelectQuery.JoinKind.CROSS) {
                throw unsupported("CROSS JOIN with ON", "ON", null);
            }
            List<Expr> parts = new ArrayList<>();
            for (var o : ons) {
                parts.add(expressions.convert(o));
            }
            on = Expr.and(parts);
        } else if (kind != SelectQuery.JoinKind.CROSS) {
            if (kind == SelectQuery.JoinKind.INNER && !join.isInner() && !join.isInnerJoin()) {
                kind = SelectQuery.JoinKind.CROSS;   // "JOIN t" without ON: JSqlParser's plain join
            } else {
                throw unsupported(kind + " JOIN without ON", "JOIN", null);
            }
        }
        return relation(join.getRightItem(), kind, on);
    }

    private SelectQuery.Relation relation(FromItem item, SelectQuery.JoinKind kind, @Nullable Expr on) {
        if (!(item instanceof Table table)) {
            String what = item instanceof net.sf.jsqlparser.statement.select.ParenthesedSelect
                    ? "derived table (subquery in FROM)"
                    : item instanceof net.sf.jsqlparser.statement.select.ParenthesedFromItem
                            ? "parenthesized join" : item.getClass().getSimpleName();
            throw unsupported(what, "(", null);
        }
        if (table.getPivot() != null || table.getUnPivot() != null) {
            throw unsupported("PIVOT", "PIVOT", null);
        }
        if (table.getSampleClause() != null) {
            throw unsupported("TABLESAMPLE", "TABLESAMPLE", null);
        }
        List<String> parts = table.getNameParts();
        if (parts.size() > 2) {
            throw unsupported("table name with more than two parts (" + table.getFullyQualifiedName() + ")",
                    table.getFullyQualifiedName(), null);
        }
        String schema = table.getSchemaName() == null ? null : unquote(table.getSchemaName());
        String name = unquote(table.getName());
        String alias = null;
        if (table.getAlias() != null) {
            if (table.getAlias().getAliasColumns() != null && !table.getAlias().getAliasColumns().isEmpty()) {
                throw unsupported("alias column list", table.getAlias().getName(), null);
            }
            alias = unquote(table.getAlias().getName());
        }
        int[] pos = locate(table.getFullyQualifiedName());
        return new SelectQuery.Relation(schema, name, alias, kind, on, pos[0], pos[1]);
    }

    static String unquote(String identifier) {
        if (identifier.length() >= 2) {
            char first = identifier.charAt(0);
            char last = identifier.charAt(identifier.length() - 1);
            if (first == '"' && last == '"' || first == '`' && last == '`' || first == '[' && last == ']') {
                return identifier.substring(1, identifier.length() - 1);
            }
        }
        return identifier;
    }

    // ---- errors and positions ----

    UnsupportedSqlException unsupported(String construct, String keyword, @Nullable Object node) {
        int[] pos = node instanceof ASTNodeAccessImpl a ? position(a, keyword) : locate(keyword);
        return new UnsupportedSqlException(construct, pos[0], pos[1], hint(construct));
    }

    private static String hint(String construct) {
        String c = construct.toUpperCase(Locale.ROOT);
        if (c.contains("GROUP") || c.contains("HAVING") || c.contains("AGGREGATE") || c.contains("SUBQUERY")
                || c.contains("UNION") || c.contains("WITH") || c.contains("DERIVED") || c.contains("EXISTS")) {
            return "Aggregates, subqueries, CTEs and set operations are not supported yet; "
                    + "run such a query on one database with Database.query(...)";
        }
        return "See Federation's javadoc for the supported SQL";
    }

    int[] position(ASTNodeAccessImpl node, String keyword) {
        SimpleNode sn = node.getASTNode();
        if (sn != null && sn.jjtGetFirstToken() != null) {
            Token t = sn.jjtGetFirstToken();
            return new int[] {t.beginLine, t.beginColumn};
        }
        return locate(keyword);
    }

    /**
     * The 1-based line and column of the first occurrence of {@code text} (case-insensitive, outside string
     * literals and at a word boundary where it starts with a letter), or of the statement start.
     */
    int[] locate(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        String hay = sql.toLowerCase(Locale.ROOT);
        boolean inString = false;
        for (int i = 0; i < hay.length(); i++) {
            char ch = hay.charAt(i);
            if (ch == '\'') {
                inString = !inString;
            }
            if (!inString && hay.startsWith(needle, i)
                    && (i == 0 || !Character.isLetterOrDigit(hay.charAt(i - 1)) || !Character.isLetter(needle.charAt(0)))) {
                return lineColumn(i);
            }
        }
        return new int[] {1, firstNonBlankColumn()};
    }

    private int[] lineColumn(int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < offset; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }

    private int firstNonBlankColumn() {
        int i = 0;
        while (i < sql.length() && sql.charAt(i) == ' ') {
            i++;
        }
        return i + 1;
    }

    private UnsupportedSqlException syntaxError(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof ParseException pe && pe.currentToken != null && pe.currentToken.next != null) {
                Token next = pe.currentToken.next;
                return new UnsupportedSqlException("syntax error near '" + next.image + "'", next.beginLine,
                        next.beginColumn, "The statement does not parse as SQL");
            }
            Matcher m = POSITION.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return new UnsupportedSqlException("syntax error", Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)), "The statement does not parse as SQL");
            }
            t = t.getCause();
        }
        return new UnsupportedSqlException("syntax error", 0, 0, String.valueOf(e.getMessage()));
    }
}
