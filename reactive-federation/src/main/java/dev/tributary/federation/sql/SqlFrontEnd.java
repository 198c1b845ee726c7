package dev.tributary.federation.sql;

import dev.tributary.federation.UnsupportedSqlException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.parser.ASTNodeAccessImpl;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.SimpleNode;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.SetOperation;
import net.sf.jsqlparser.statement.select.UnionOp;
import net.sf.jsqlparser.statement.select.WithItem;
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
    /** The WITH queries in scope, innermost first, keyed by lower-case name. */
    private final Deque<Map<String, QueryNode>> ctes = new ArrayDeque<>();

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

    /**
     * Parses one statement of any kind into JSqlParser's model, for the callers that handle statements other
     * than SELECT (federated writes).
     *
     * @throws UnsupportedSqlException if the text is empty or does not parse
     */
    public static Statement statement(String sql) {
        return new SqlFrontEnd(sql).parseAny();
    }

    /**
     * Converts a query that is part of a statement parsed by {@link #statement(String)} (the SELECT of an
     * {@code INSERT ... SELECT}, a subquery of an UPDATE). Positions and {@code ?} numbers are those of the
     * whole statement {@code sql}.
     *
     * @throws UnsupportedSqlException if the query uses a construct outside the supported subset
     */
    public static SelectQuery select(String sql, Select select) {
        return new SqlFrontEnd(sql).top(select);
    }

    /**
     * The error for {@code construct}, not supported in {@code sql}, located at the first occurrence of
     * {@code keyword}.
     */
    public static UnsupportedSqlException unsupported(String sql, String construct, String keyword, String hint) {
        int[] pos = new SqlFrontEnd(sql).locate(keyword);
        return new UnsupportedSqlException(construct, pos[0], pos[1], hint);
    }

    /**
     * The conjuncts of a WHERE condition of a statement parsed by {@link #statement(String)}, as JSqlParser
     * expressions ({@code a AND (b OR c)} gives {@code a} and {@code (b OR c)}); the condition alone when its top
     * level has an OR.
     */
    public static List<Expression> conjuncts(Expression where) {
        return ExpressionConverter.conjuncts(where);
    }

    private Statement parseAny() {
        Statement statement;
        try {
            // as CCJSqlParserUtil.parse does: the simple grammar first (it is the one that takes a function call
            // as the first argument of SUBSTRING), then the complex one for what only that one parses
            statement = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statement();
        } catch (Exception simple) {
            try {
                statement = CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true).Statement();
            } catch (Exception e) {
                throw syntaxError(e);
            }
        }
        if (statement == null) {
            throw new UnsupportedSqlException("empty statement", 1, 1, "Pass one statement");
        }
        return statement;
    }

    private SelectQuery parseStatement() {
        Statement statement = parseAny();
        if (!(statement instanceof Select select)) {
            String kind = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
            throw new UnsupportedSqlException(kind + " statement", 1, firstNonBlankColumn(),
                    "Federation runs SELECT statements only; run " + kind
                            + " on one database with Database.update(...)");
        }
        return top(select);
    }

    private SelectQuery top(Select select) {
        QueryNode body = query(select);
        SelectQuery top = body instanceof SelectQuery q ? q : wrap(body, List.of(), null, null);
        return top.withParams(expressions.positionalCount(), List.copyOf(expressions.names()));
    }

    /** Converts a query expression: a SELECT, a set operation, or either in parentheses; with its WITH list. */
    QueryNode query(Select s) {
        List<WithItem<?>> withs = s.getWithItemsList();
        boolean scoped = withs != null && !withs.isEmpty();
        if (scoped) {
            ctes.push(new LinkedHashMap<>());
            for (WithItem<?> w : withs) {
                if (w.isRecursive()) {
                    throw unsupported("WITH RECURSIVE", "RECURSIVE", null);
                }
                if (w.getWithItemList() != null && !w.getWithItemList().isEmpty()) {
                    throw unsupported("column list of WITH query " + w.getAliasName(), w.getAliasName(), null);
                }
                if (w.getSelect() == null) {
                    throw unsupported("data-modifying WITH query " + w.getAliasName(), w.getAliasName(), null);
                }
                ctes.peek().put(unquote(w.getAliasName()).toLowerCase(Locale.ROOT), query(w.getSelect()));
            }
        }
        try {
            if (s instanceof PlainSelect plain) {
                return convert(plain);
            }
            QueryNode body;
            if (s instanceof SetOperationList set) {
                hoistTrailingClauses(set);
                body = setOperation(set);
            } else if (s instanceof ParenthesedSelect p && p.getSelect() != null) {
                body = query(p.getSelect());
            } else {
                throw unsupported("VALUES or other query form", "(", null);
            }
            Expr[] limits = limits(s);
            List<SelectQuery.Order> order = orderBy(s.getOrderByElements());
            if (order.isEmpty() && limits[0] == null && limits[1] == null) {
                return body;
            }
            return wrap(body, order, limits[0], limits[1]);
        } finally {
            if (scoped) {
                ctes.pop();
            }
        }
    }

    /**
     * In {@code SELECT ... UNION SELECT ... ORDER BY x LIMIT n} the ORDER BY and LIMIT belong to the whole
     * UNION (as in PostgreSQL), but the parser may hang them on the last, unparenthesized branch: move them up.
     */
    private static void hoistTrailingClauses(SetOperationList set) {
        Select last = set.getSelects().get(set.getSelects().size() - 1);
        if (!(last instanceof PlainSelect ps)) {
            return;
        }
        if (ps.getOrderByElements() != null && set.getOrderByElements() == null) {
            set.setOrderByElements(ps.getOrderByElements());
            ps.setOrderByElements(null);
        }
        if (ps.getLimit() != null && set.getLimit() == null) {
            set.setLimit(ps.getLimit());
            ps.setLimit(null);
        }
        if (ps.getOffset() != null && set.getOffset() == null) {
            set.setOffset(ps.getOffset());
            ps.setOffset(null);
        }
        if (ps.getFetch() != null && set.getFetch() == null) {
            set.setFetch(ps.getFetch());
            ps.setFetch(null);
        }
    }

    private QueryNode setOperation(SetOperationList set) {
        QueryNode result = query(set.getSelects().get(0));
        for (int i = 1; i < set.getSelects().size(); i++) {
            SetOperation op = set.getOperations().get(i - 1);
            if (!(op instanceof UnionOp union)) {
                String name = op.toString().trim().split(" ")[0];
                throw new UnsupportedSqlException(name, locate(name)[0], locate(name)[1],
                        "Only UNION and UNION ALL are supported; rewrite " + name + " with [NOT] EXISTS");
            }
            result = new SetQuery(union.isAll(), result, query(set.getSelects().get(i)));
        }
        return result;
    }

    /** {@code SELECT * FROM (body) "union" ORDER BY ... LIMIT ...}: ORDER BY and LIMIT over a set operation. */
    private static SelectQuery wrap(QueryNode body, List<SelectQuery.Order> orderBy, @Nullable Expr limit,
            @Nullable Expr offset) {
        SelectQuery.Relation derived = new SelectQuery.Relation(null, "union", null, SelectQuery.JoinKind.FROM, null,
                0, 0, body);
        return new SelectQuery(false, List.of(new SelectQuery.Star()), List.of(derived), null, List.of(), null,
                orderBy, limit, offset, 0, List.of());
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
        refuseExtras(ps);
        if (ps.getFromItem() == null) {
            throw unsupported("SELECT without FROM", "SELECT", null);
        }
        // FROM first: it declares the WITH references the select list may use
        List<SelectQuery.Relation> relations = new ArrayList<>();
        relations.add(relation(ps.getFromItem(), SelectQuery.JoinKind.FROM, null));
        if (ps.getJoins() != null) {
            for (Join join : ps.getJoins()) {
                relations.add(join(join));
            }
        }
        List<SelectQuery.Item> items = new ArrayList<>();
        for (SelectItem<?> item : ps.getSelectItems()) {
            items.add(selectItem(item));
        }
        Expr where = ps.getWhere() == null ? null : expressions.convert(ps.getWhere());
        List<Expr> groupBy = new ArrayList<>();
        GroupByElement g = ps.getGroupBy();
        if (g != null) {
            if (g.getGroupingSets() != null && !g.getGroupingSets().isEmpty()) {
                throw unsupported("GROUPING SETS", "GROUPING", null);
            }
            if (g.isMysqlWithRollup()) {
                throw unsupported("WITH ROLLUP", "ROLLUP", null);
            }
            if (g.getGroupByExpressionList() != null) {
                for (Object e : g.getGroupByExpressionList()) {
                    groupBy.add(expressions.convert((Expression) e));
                }
            }
        }
        Expr having = ps.getHaving() == null ? null : expressions.convert(ps.getHaving());
        List<SelectQuery.Order> orderBy = orderBy(ps.getOrderByElements());
        Expr[] limits = limits(ps);
        return new SelectQuery(distinct, items, relations, where, groupBy, having, orderBy, limits[0], limits[1], 0,
                List.of());
    }

    private List<SelectQuery.Order> orderBy(@Nullable List<OrderByElement> elements) {
        List<SelectQuery.Order> orderBy = new ArrayList<>();
        if (elements != null) {
            for (OrderByElement o : elements) {
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
        return orderBy;
    }

    /** LIMIT and OFFSET (either may be {@code null}) from LIMIT, OFFSET and FETCH clauses. */
    private Expr[] limits(Select ps) {
        Expr limit = null;
        Expr offset = null;
        Limit l = ps.getLimit();
        if (ps.getLimitBy() != null) {
            throw unsupported("LIMIT BY", "LIMIT", null);
        }
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
        return new Expr[] {limit, offset};
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
        if (item instanceof ParenthesedSelect p && p.getSelect() != null) {
            if (p.getPivot() != null || p.getUnPivot() != null) {
                throw unsupported("PIVOT", "PIVOT", null);
            }
            String alias = "subquery";
            if (p.getAlias() != null) {
                if (p.getAlias().getAliasColumns() != null && !p.getAlias().getAliasColumns().isEmpty()) {
                    throw unsupported("alias column list", p.getAlias().getName(), null);
                }
                alias = unquote(p.getAlias().getName());
            }
            int[] pos = position(p, "(");
            return new SelectQuery.Relation(null, alias, alias, kind, on, pos[0], pos[1], query(p.getSelect()));
        }
        if (!(item instanceof Table table)) {
            String what = item instanceof net.sf.jsqlparser.statement.select.LateralSubSelect ? "LATERAL subquery"
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
        if (schema == null) {
            for (Map<String, QueryNode> scope : ctes) {
                QueryNode cte = scope.get(name.toLowerCase(Locale.ROOT));
                if (cte != null) {
                    return new SelectQuery.Relation(null, name, alias, kind, on, pos[0], pos[1], cte);
                }
            }
        }
        return new SelectQuery.Relation(schema, name, alias, kind, on, pos[0], pos[1]);
    }

    /** An identifier without its quotes ({@code "x"}, {@code `x`} or {@code [x]}), else as written. */
    public static String unquote(String identifier) {
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
        if (c.contains("GROUPING") || c.contains("ROLLUP") || c.contains("LATERAL") || c.contains("RECURSIVE")) {
            return "Not supported in federated queries; run such a query on one database with Database.query(...)";
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
