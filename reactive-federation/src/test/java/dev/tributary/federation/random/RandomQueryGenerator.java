package dev.tributary.federation.random;

import dev.tributary.federation.random.ShopSchema.Column;
import dev.tributary.federation.random.ShopSchema.Domain;
import dev.tributary.federation.random.ShopSchema.Edge;
import dev.tributary.federation.random.ShopSchema.Table;
import dev.tributary.federation.random.ShopSchema.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A seeded generator of random federated SELECT statements over the {@code ShopFixture} tables (customers and
 * countries on two H2 databases, orders and order_lines on PostgreSQL, products and shipments on MariaDB).
 * Query {@code n} of seed {@code s} is the same text on every run and does not depend on the queries before it,
 * so one query can be replayed alone. Only the {@link Feature}s passed in are used; the generator avoids SQL whose
 * result is not deterministic (LIMIT only after an ORDER BY over every output column, division and modulo only
 * by non-zero constants, no floating point).
 */
public final class RandomQueryGenerator {

    /**
     * One generated query.
     *
     * @param ordered whether its ORDER BY fixes the order of every output row (compare in order)
     * @param features the features the query uses
     */
    public record GeneratedQuery(long seed, int number, String sql, boolean ordered, Set<Feature> features) {
        @Override
        public String toString() {
            return "#" + number + " " + sql;
        }
    }

    private final long seed;
    private final Set<Feature> enabled;

    /** A generator for {@code seed} using only the {@code enabled} features. */
    public RandomQueryGenerator(long seed, Set<Feature> enabled) {
        this.seed = seed;
        this.enabled = enabled.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(enabled);
    }

    /** Query number {@code number} of this generator's seed. */
    public GeneratedQuery generate(int number) {
        // java.util.Random's first outputs for neighbouring seeds are alike: mix (seed, number) first
        Gen g = new Gen(new Random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + number).nextLong()));
        String sql = g.query();
        return new GeneratedQuery(seed, number, sql, g.ordered, Collections.unmodifiableSet(g.used));
    }

    /** A relation in scope: a table or derived table under an alias, with the columns it exposes. */
    private record Rel(String alias, String table, List<Column> columns, String fromItem) {
        boolean has(String column) {
            return columns.stream().anyMatch(c -> c.name().equals(column));
        }
    }

    /** A typed expression with the literals that suit it. */
    private record E(String sql, Type type, Domain domain) {
    }

    /** A select-list item; {@code orderText} is how ORDER BY may name it besides its position. */
    private record Item(String sql, String orderText) {
    }

    private final class Gen {
        final Random r;
        final EnumSet<Feature> used = EnumSet.noneOf(Feature.class);
        final List<String> ctes = new ArrayList<>();
        boolean ordered;
        int counter;
        /** Whether {@link #from} joins its last table with a comma, its join key left for WHERE. */
        boolean commaLast;
        /** The key {@link #from} left for WHERE, and the two relations it joins; {@code null} if none. */
        String orJoinKey;
        Rel orJoinOld;
        Rel orJoinNew;

        Gen(Random r) {
            this.r = r;
        }

        String query() {
            String body = (enabled.contains(Feature.UNION_ALL) || enabled.contains(Feature.UNION)) && chance(0.12)
                    ? unionQuery() : selectQuery();
            return ctes.isEmpty() ? body : "WITH " + String.join(", ", ctes) + " " + body;
        }

        // ------------------------------------------------------------------------------------ SELECT

        String selectQuery() {
            List<Rel> scope = new ArrayList<>();
            int tables = chance(0.15) ? 1 : 2 + r.nextInt(3);
            commaLast = tables >= 2 && want(Feature.OR_JOIN_KEY, 0.12);
            orJoinKey = null;
            StringBuilder sql = new StringBuilder(" FROM ").append(from(scope, tables, true));
            List<String> conjuncts = new ArrayList<>();
            if (commaLast && orJoinKey != null) {
                conjuncts.add(orOfAndsWithJoinKey());
            } else if (commaLast) {
                used.remove(Feature.OR_JOIN_KEY);
            }
            commaLast = false;
            if (chance(0.6)) {
                conjuncts.add(pred(scope, 2));
            }
            if (chance(tables == 1 ? 0.7 : 0.3)) {
                String sub = subqueryPredicate(scope);
                if (sub != null) {
                    conjuncts.add(sub);
                }
            }
            if (!conjuncts.isEmpty()) {
                sql.append(" WHERE ").append(String.join(" AND ", conjuncts));
            }
            return want(Feature.AGGREGATES, 0.35) ? aggregateSelect(scope, sql.toString()) : plainSelect(scope, sql.toString());
        }

        String plainSelect(List<Rel> scope, String fromWhere) {
            boolean distinct = want(Feature.DISTINCT, 0.15);
            List<Item> items = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int i = 1; i <= n; i++) {
                if (chance(0.6)) {
                    E c = column(scope, null);
                    items.add(new Item(c.sql(), c.sql()));
                } else {
                    E e = expr(anyType(scope), scope, 2);
                    items.add(new Item(e.sql() + " AS e" + i, "e" + i));
                }
            }
            if (want(Feature.SCALAR_SUBQUERY, 0.08)) {
                items.add(new Item(scalarSubquery() + " AS e" + (n + 1), "e" + (n + 1)));
            } else if (want(Feature.CORRELATED_SCALAR_SUBQUERY, 0.06)) {
                String sub = correlatedScalarSubquery(scope);
                if (sub != null) {
                    items.add(new Item(sub + " AS e" + (n + 1), "e" + (n + 1)));
                } else {
                    used.remove(Feature.CORRELATED_SCALAR_SUBQUERY);
                }
            }
            return "SELECT " + (distinct ? "DISTINCT " : "") + list(items) + fromWhere + orderBy(items, false);
        }

        String aggregateSelect(List<Rel> scope, String fromWhere) {
            List<E> groups = new ArrayList<>();
            if (want(Feature.GROUP_BY, 0.75)) {
                int g = 1 + r.nextInt(3);
                for (int i = 0; i < g; i++) {
                    groups.add(chance(0.7) ? column(scope, null) : expr(anyType(scope), scope, 1));
                }
            }
            List<Item> items = new ArrayList<>();
            List<Item> groupItems = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                E g = groups.get(i);
                boolean isColumn = g.sql().matches("[a-z0-9]+\\.[a-z_]+");
                Item item = isColumn ? new Item(g.sql(), g.sql()) : new Item(g.sql() + " AS g" + (i + 1), "g" + (i + 1));
                groupItems.add(item);
                if (chance(0.8)) {
                    items.add(item);
                }
            }
            for (int i = 1, n = 1 + r.nextInt(3); i <= n; i++) {
                items.add(new Item(aggregate(scope) + " AS a" + i, "a" + i));
            }
            if (!groups.isEmpty() && want(Feature.CORRELATED_SCALAR_SUBQUERY, 0.15)) {
                String sub = correlatedScalarSubquery(scope, groups.stream().map(E::sql).toList());
                if (sub != null) {
                    items.add(new Item(sub + " AS s1", "s1"));
                } else {
                    used.remove(Feature.CORRELATED_SCALAR_SUBQUERY);
                }
            }
            Collections.shuffle(items, r);
            StringBuilder sql = new StringBuilder("SELECT ").append(want(Feature.DISTINCT, 0.05) ? "DISTINCT " : "")
                    .append(list(items)).append(fromWhere);
            if (!groups.isEmpty()) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < groups.size(); i++) {
                    int position = items.indexOf(groupItems.get(i)) + 1;
                    int k = r.nextInt(10);
                    keys.add(position > 0 && k < 2 ? Integer.toString(position)
                            : position > 0 && k < 3 ? groupItems.get(i).orderText() : groups.get(i).sql());
                }
                sql.append(" GROUP BY ").append(String.join(", ", keys));
            }
            if (want(Feature.HAVING, 0.35)) {
                sql.append(" HAVING ").append(having(scope, groups));
            }
            return sql + orderBy(items, false);
        }

        String orderBy(List<Item> items, boolean positionsOnly) {
            if (!want(Feature.ORDER_BY, 0.45)) {
                return "";
            }
            List<Integer> positions = new ArrayList<>();
            for (int i = 1; i <= items.size(); i++) {
                positions.add(i);
            }
            Collections.shuffle(positions, r);
            boolean total = items.size() == 1 || chance(0.75);
            if (!total) {
                positions = positions.subList(0, 1 + r.nextInt(items.size() - 1));
            }
            List<String> keys = new ArrayList<>();
            for (int p : positions) {
                String key = positionsOnly || chance(0.5) ? Integer.toString(p) : items.get(p - 1).orderText();
                key += switch (r.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> " ASC";
                    default -> " DESC";
                };
                key += switch (r.nextInt(4)) {
                    case 0 -> "";
                    case 1 -> " NULLS FIRST";
                    default -> " NULLS LAST";
                };
                keys.add(key);
            }
            String sql = " ORDER BY " + String.join(", ", keys);
            if (total) {
                ordered = true;
                if (want(Feature.LIMIT, 0.5)) {
                    int k = r.nextInt(10);
                    sql += k < 7 ? " LIMIT " + (1 + r.nextInt(40)) : "";
                    sql += k >= 5 ? " OFFSET " + r.nextInt(30) : "";
                }
            }
            return sql;
        }

        // ------------------------------------------------------------------------------------ FROM

        String from(List<Rel> scope, int tables, boolean allowDerived) {
            Table first = pick(ShopSchema.TABLES);
            Rel start = relation(first, null, allowDerived);
            scope.add(start);
            StringBuilder sql = new StringBuilder(start.fromItem());
            for (int i = 1; i < tables; i++) {
                List<Object[]> candidates = new ArrayList<>();
                for (Rel rel : scope) {
                    for (Edge e : ShopSchema.EDGES) {
                        if (e.touches(rel.table()) && rel.has(e.columnOf(rel.table()))
                                && scope.stream().noneMatch(x -> x.table().equals(e.other(rel.table())))) {
                            candidates.add(new Object[] {rel, e});
                        }
                    }
                }
                if (candidates.isEmpty()) {
                    break;
                }
                Object[] c = pick(candidates);
                Rel old = (Rel) c[0];
                Edge e = (Edge) c[1];
                String other = e.other(old.table());
                Rel rel = relation(ShopSchema.table(other), e.columnOf(other), allowDerived);
                String key = rel.alias() + "." + e.columnOf(other);
                String oldKey = old.alias() + "." + e.columnOf(old.table());
                String on = chance(0.5) ? key + " = " + oldKey : oldKey + " = " + key;
                if (commaLast && i == tables - 1) {
                    orJoinKey = on;
                    orJoinOld = old;
                    orJoinNew = rel;
                    sql.append(", ").append(rel.fromItem());
                    scope.add(rel);
                    continue;
                }
                if (chance(0.15)) {
                    on += " AND " + simplePred(List.of(chance(0.5) ? rel : old));
                }
                sql.append(' ').append(joinType()).append(' ').append(rel.fromItem()).append(" ON ").append(on);
                scope.add(rel);
            }
            return sql.toString();
        }

        /**
         * {@code (key AND a AND b) OR (key AND c AND d) ...}: the comma join's key repeated in every branch, with
         * predicates on each of its two tables (often {@code column = literal}, so an IN list can be derived).
         */
        String orOfAndsWithJoinKey() {
            List<String> branches = new ArrayList<>();
            for (int i = 0, n = 2 + r.nextInt(2); i < n; i++) {
                String branch = orJoinKey;
                if (chance(0.75)) {
                    branch += " AND " + branchPred(orJoinOld) + " AND " + branchPred(orJoinNew);
                } else {
                    branch += " AND " + pred(List.of(orJoinOld, orJoinNew), 1);
                }
                branches.add("(" + branch + ")");
            }
            return "(" + String.join(" OR ", branches) + ")";
        }

        String branchPred(Rel rel) {
            if (chance(0.5)) {
                E c = column(List.of(rel), null);
                return c.sql() + " = " + c.domain().literal(r);
            }
            return simplePred(List.of(rel));
        }

        String joinType() {
            int k = r.nextInt(10);
            if (k >= 5 && k < 7 && want(Feature.LEFT_JOIN, 1)) {
                return chance(0.7) ? "LEFT JOIN" : "LEFT OUTER JOIN";
            }
            if (k == 7 && want(Feature.RIGHT_JOIN, 1)) {
                return "RIGHT JOIN";
            }
            if (k >= 8 && want(Feature.FULL_JOIN, 1)) {
                return chance(0.7) ? "FULL JOIN" : "FULL OUTER JOIN";
            }
            return chance(0.7) ? "JOIN" : "INNER JOIN";
        }

        Rel relation(Table t, String requiredColumn, boolean allowDerived) {
            if (allowDerived && want(Feature.DERIVED_TABLE, 0.15)) {
                return derived(t, requiredColumn);
            }
            String alias = t.letter() + (++counter);
            return new Rel(alias, t.name(), t.columns(), t.name() + " " + alias);
        }

        Rel derived(Table t, String requiredColumn) {
            String inner = "x" + (++counter);
            String alias = "d" + (++counter);
            Rel base = new Rel(inner, t.name(), t.columns(), t.name() + " " + inner);
            List<String> keys = ShopSchema.EDGES.stream().filter(e -> e.touches(t.name())).map(e -> e.columnOf(t.name()))
                    .distinct().toList();
            String where = chance(0.6) ? " WHERE " + pred(List.of(base), 1) : "";
            List<Column> columns = new ArrayList<>();
            String sql;
            List<Column> numeric = t.columns().stream().filter(c -> c.type().numeric()).toList();
            if (!numeric.isEmpty() && wantAll(0.35, Feature.GROUP_BY, Feature.AGGREGATES)) {
                Column key = t.column(requiredColumn != null ? requiredColumn : pick(keys));
                Column summed = pick(numeric);
                Column top = pick(t.columns().stream().filter(this::usable).toList());
                columns.add(key);
                columns.add(new Column("cnt", Type.INT, false, ShopSchema.ints(1, 6)));
                columns.add(new Column("total", summed.type(), true, summed.domain()));
                columns.add(new Column("hi", top.type(), true, top.domain()));
                sql = "SELECT " + inner + "." + key.name() + ", COUNT(*) AS cnt, SUM(" + inner + "." + summed.name()
                        + ") AS total, MAX(" + inner + "." + top.name() + ") AS hi FROM " + base.fromItem() + where
                        + " GROUP BY " + inner + "." + key.name();
            } else {
                for (Column c : t.columns()) {
                    if (usable(c) && (keys.contains(c.name()) || chance(0.5))) {
                        columns.add(c);
                    }
                }
                sql = "SELECT " + columns.stream().map(c -> inner + "." + c.name()).collect(Collectors.joining(", "))
                        + " FROM " + base.fromItem() + where;
            }
            if (want(Feature.WITH_CTE, 0.4)) {
                ctes.add(alias + " AS (" + sql + ")");
                return new Rel(alias, t.name(), columns, alias);
            }
            return new Rel(alias, t.name(), columns, "(" + sql + ") " + (chance(0.5) ? "AS " : "") + alias);
        }

        // ------------------------------------------------------------------------------------ predicates

        String pred(List<Rel> scope, int depth) {
            int k = r.nextInt(depth > 0 ? 14 : 10);
            switch (k) {
                case 0, 1, 2, 3 -> {
                    return simplePred(scope);
                }
                case 4 -> {
                    E c = column(scope, null);
                    List<E> others = columns(scope).stream().filter(o -> compatible(o.type(), c.type()) && !o.sql().equals(c.sql()))
                            .toList();
                    return c.sql() + " " + op() + " " + (others.isEmpty() ? c.domain().literal(r) : pick(others).sql());
                }
                case 5 -> {
                    E c = column(scope, null);
                    return c.sql() + (chance(0.5) ? " IS NULL" : " IS NOT NULL");
                }
                case 6 -> {
                    E c = column(scope, null);
                    List<String> values = new ArrayList<>();
                    for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                        values.add(chance(0.1) ? "NULL" : c.domain().literal(r));
                    }
                    return c.sql() + (chance(0.3) ? " NOT IN (" : " IN (") + String.join(", ", values) + ")";
                }
                case 7 -> {
                    E c = column(scope, null);
                    String a = c.domain().literal(r);
                    String b = c.domain().literal(r);
                    if (literalOrder(c.type(), a, b) > 0) {
                        String t = a;
                        a = b;
                        b = t;
                    }
                    return c.sql() + (chance(0.25) ? " NOT BETWEEN " : " BETWEEN ") + a + " AND " + b;
                }
                case 8 -> {
                    E e = expr(anyType(scope), scope, 1);
                    return e.sql() + " " + op() + " " + e.domain().literal(r);
                }
                case 9 -> {
                    List<E> strings = columns(scope).stream().filter(c -> c.type() == Type.STR).toList();
                    if (strings.isEmpty()) {
                        return simplePred(scope);
                    }
                    E c = pick(strings);
                    return c.sql() + (chance(0.25) ? " NOT LIKE " : " LIKE ") + c.domain().pattern(r);
                }
                case 10, 11 -> {
                    return "(" + pred(scope, depth - 1) + " AND " + pred(scope, depth - 1) + ")";
                }
                case 12 -> {
                    return "(" + pred(scope, depth - 1) + " OR " + pred(scope, depth - 1) + ")";
                }
                default -> {
                    return "NOT (" + pred(scope, depth - 1) + ")";
                }
            }
        }

        String simplePred(List<Rel> scope) {
            E c = column(scope, null);
            return c.sql() + " " + op() + " " + c.domain().literal(r);
        }

        String op() {
            return pick(List.of("=", "<>", "<", "<=", ">", ">=", "="));
        }

        String subqueryPredicate(List<Rel> scope) {
            List<Feature> kinds = new ArrayList<>();
            for (Feature f : List.of(Feature.IN_SUBQUERY, Feature.NOT_IN_SUBQUERY, Feature.EXISTS_SUBQUERY,
                    Feature.CORRELATED_SUBQUERY, Feature.SCALAR_SUBQUERY, Feature.CORRELATED_SCALAR_SUBQUERY)) {
                if (enabled.contains(f)) {
                    kinds.add(f);
                }
            }
            if (kinds.isEmpty()) {
                return null;
            }
            Feature kind = pick(kinds);
            used.add(kind);
            if (kind == Feature.CORRELATED_SCALAR_SUBQUERY) {
                String sub = correlatedScalarSubquery(scope);
                if (sub == null) {
                    used.remove(kind);
                    return null;
                }
                return numericColumn(scope).sql() + " " + op() + " " + sub;
            }
            List<Object[]> keyed = new ArrayList<>();
            for (Rel rel : scope) {
                for (Edge e : ShopSchema.EDGES) {
                    if (e.touches(rel.table()) && rel.has(e.columnOf(rel.table()))) {
                        keyed.add(new Object[] {rel, e});
                    }
                }
            }
            if (keyed.isEmpty() || kind == Feature.SCALAR_SUBQUERY) {
                List<E> numbers = columns(scope).stream().filter(c -> c.type().numeric()).toList();
                if (kind != Feature.SCALAR_SUBQUERY || numbers.isEmpty()) {
                    used.remove(kind);
                    return null;
                }
                return pick(numbers).sql() + " " + op() + " " + scalarSubquery();
            }
            Object[] k = pick(keyed);
            Rel rel = (Rel) k[0];
            Edge e = (Edge) k[1];
            String outer = rel.alias() + "." + e.columnOf(rel.table());
            Table s = ShopSchema.table(e.other(rel.table()));
            Rel sub = new Rel(s.letter() + "q" + (++counter), s.name(), s.columns(), null);
            String inner = sub.alias() + "." + e.columnOf(s.name());
            String from = " FROM " + s.name() + " " + sub.alias();
            String filter = chance(0.6) ? pred(List.of(sub), 1) : null;
            switch (kind) {
                case IN_SUBQUERY, NOT_IN_SUBQUERY -> {
                    boolean not = kind == Feature.NOT_IN_SUBQUERY;
                    if (not && chance(0.5)) {
                        filter = filter == null ? inner + " IS NOT NULL" : filter + " AND " + inner + " IS NOT NULL";
                    }
                    String tail = filter == null ? "" : " WHERE " + filter;
                    if (wantAll(0.2, Feature.AGGREGATES, Feature.GROUP_BY, Feature.HAVING)) {
                        tail += " GROUP BY " + inner + " HAVING COUNT(*) > " + (1 + r.nextInt(3));
                    }
                    return outer + (not ? " NOT IN (SELECT " : " IN (SELECT ") + inner + from + tail + ")";
                }
                case EXISTS_SUBQUERY -> {
                    return (chance(0.3) ? "NOT " : "") + "EXISTS (SELECT 1" + from + (filter == null ? "" : " WHERE " + filter) + ")";
                }
                default -> {
                    String corr = chance(0.5) ? inner + " = " + outer : outer + " = " + inner;
                    String where = " WHERE " + corr + (filter == null ? "" : " AND " + filter);
                    if (chance(0.25)) {
                        return outer + " IN (SELECT " + inner + from + where + ")";
                    }
                    return (chance(0.4) ? "NOT " : "") + "EXISTS (SELECT " + (chance(0.5) ? "1" : "*") + from + where + ")";
                }
            }
        }

        /**
         * {@code (SELECT agg FROM t s WHERE s.key = outer.key [AND filter])}, an aggregate (sometimes scaled) of a
         * table joined by a schema edge to a relation in scope; {@code null} when no relation has such a key.
         */
        String correlatedScalarSubquery(List<Rel> scope) {
            return correlatedScalarSubquery(scope, null);
        }

        /** {@link #correlatedScalarSubquery(List)} correlated on one of {@code outerKeys} only, unless it is null. */
        String correlatedScalarSubquery(List<Rel> scope, List<String> outerKeys) {
            List<Object[]> keyed = new ArrayList<>();
            for (Rel rel : scope) {
                for (Edge e : ShopSchema.EDGES) {
                    if (e.touches(rel.table()) && rel.has(e.columnOf(rel.table()))
                            && (outerKeys == null || outerKeys.contains(rel.alias() + "." + e.columnOf(rel.table())))) {
                        keyed.add(new Object[] {rel, e});
                    }
                }
            }
            if (keyed.isEmpty()) {
                return null;
            }
            Object[] k = pick(keyed);
            Rel rel = (Rel) k[0];
            Edge e = (Edge) k[1];
            Table t = ShopSchema.table(e.other(rel.table()));
            Rel sub = new Rel(t.letter() + "s" + (++counter), t.name(), t.columns(), null);
            String outer = rel.alias() + "." + e.columnOf(rel.table());
            String inner = sub.alias() + "." + e.columnOf(t.name());
            List<E> numbers = columns(List.of(sub)).stream().filter(c -> c.type().numeric()).toList();
            String agg = numbers.isEmpty() || chance(0.3) ? "COUNT(*)"
                    : pick(List.of("MIN", "MAX", "AVG", "SUM")) + "(" + pick(numbers).sql() + ")";
            if (want(Feature.ARITHMETIC, 0.3)) {
                agg = chance(0.5) ? "0.5 * " + agg : agg + " + 1";
            }
            String where = (chance(0.5) ? inner + " = " + outer : outer + " = " + inner)
                    + (chance(0.5) ? " AND " + pred(List.of(sub), 1) : "");
            return "(SELECT " + agg + " FROM " + t.name() + " " + sub.alias() + " WHERE " + where + ")";
        }

        String scalarSubquery() {
            Table t = pick(ShopSchema.TABLES);
            Rel sub = new Rel(t.letter() + "q" + (++counter), t.name(), t.columns(), null);
            List<E> numbers = columns(List.of(sub)).stream().filter(c -> c.type().numeric()).toList();
            String agg = numbers.isEmpty() || chance(0.2) ? "COUNT(*)"
                    : pick(List.of("MIN", "MAX", "AVG", "SUM")) + "(" + pick(numbers).sql() + ")";
            return "(SELECT " + agg + " FROM " + t.name() + " " + sub.alias()
                    + (chance(0.6) ? " WHERE " + pred(List.of(sub), 1) : "") + ")";
        }

        String having(List<Rel> scope, List<E> groups) {
            String p;
            int k = r.nextInt(groups.isEmpty() ? 4 : 5);
            List<E> numbers = columns(scope).stream().filter(c -> c.type().numeric()).toList();
            if (k == 0 || numbers.isEmpty() && k < 4) {
                p = "COUNT(*) " + op() + " " + r.nextInt(5);
            } else if (k == 1) {
                E n = pick(numbers);
                p = "SUM(" + n.sql() + ") " + op() + " " + n.domain().literal(r);
            } else if (k == 2) {
                E n = pick(numbers);
                p = "AVG(" + n.sql() + ") " + op() + " " + n.domain().literal(r);
            } else if (k == 3) {
                E c = column(scope, null);
                p = (chance(0.5) ? "MIN(" : "MAX(") + c.sql() + ")" + (chance(0.5) ? " IS NULL" : " IS NOT NULL");
            } else {
                E g = pick(groups);
                p = g.sql() + " " + op() + " " + g.domain().literal(r);
            }
            return chance(0.25) ? "(" + p + (chance(0.5) ? " AND " : " OR ") + having(scope, groups) + ")" : p;
        }

        // ------------------------------------------------------------------------------------ UNION

        String unionQuery() {
            boolean all = enabled.contains(Feature.UNION_ALL) && (!enabled.contains(Feature.UNION) || chance(0.5));
            used.add(all ? Feature.UNION_ALL : Feature.UNION);
            List<Type> types = new ArrayList<>();
            List<String> branches = new ArrayList<>();
            for (int b = 0, n = chance(0.25) ? 3 : 2; b < n; b++) {
                List<Rel> scope = new ArrayList<>();
                String from = from(scope, chance(0.3) ? 2 : 1, false);
                for (int attempt = 0; attempt < 5 && b > 0 && !hasColumnsOf(scope, types); attempt++) {
                    scope.clear();
                    from = from(scope, chance(0.3) ? 2 : 1, false);
                }
                if (b == 0) {
                    for (int i = 0, k = 1 + r.nextInt(3); i < k; i++) {
                        types.add(column(scope, null).type());
                    }
                }
                List<String> items = new ArrayList<>();
                for (int i = 0; i < types.size(); i++) {
                    Type t = types.get(i);
                    List<E> cols = columns(scope).stream().filter(c -> c.type() == t).toList();
                    E e = !cols.isEmpty() && chance(0.85) ? pick(cols) : expr(t, scope, 1);
                    items.add(e.sql() + (b == 0 ? " AS u" + (i + 1) : ""));
                }
                branches.add("SELECT " + String.join(", ", items) + " FROM " + from
                        + (chance(0.5) ? " WHERE " + pred(scope, 1) : ""));
            }
            StringBuilder sql = new StringBuilder(branches.get(0));
            for (int b = 1; b < branches.size(); b++) {
                boolean branchAll = enabled.contains(Feature.UNION_ALL) && enabled.contains(Feature.UNION) && chance(0.2) ? !all : all;
                used.add(branchAll ? Feature.UNION_ALL : Feature.UNION);
                sql.append(branchAll ? " UNION ALL " : " UNION ").append(branches.get(b));
            }
            List<Item> items = new ArrayList<>();
            if (wantAll(0.25, Feature.DERIVED_TABLE, Feature.GROUP_BY, Feature.AGGREGATES)) {
                items.add(new Item("u.u1", "u.u1"));
                items.add(new Item("COUNT(*) AS n", "n"));
                return "SELECT u.u1, COUNT(*) AS n FROM (" + sql + ") u GROUP BY u.u1" + orderBy(items, false);
            }
            for (int i = 1; i <= types.size(); i++) {
                items.add(new Item("u" + i, "u" + i));
            }
            return sql + orderBy(items, true);
        }

        // ------------------------------------------------------------------------------------ expressions

        String aggregate(List<Rel> scope) {
            List<E> numbers = columns(scope).stream().filter(c -> c.type().numeric()).toList();
            int k = r.nextInt(numbers.isEmpty() ? 4 : 9);
            return switch (k) {
                case 0 -> "COUNT(*)";
                case 1 -> "COUNT(" + column(scope, null).sql() + ")";
                case 2 -> want(Feature.COUNT_DISTINCT, 0.8) ? "COUNT(DISTINCT " + column(scope, null).sql() + ")"
                        : "COUNT(" + column(scope, null).sql() + ")";
                case 3 -> (chance(0.5) ? "MIN(" : "MAX(") + expr(anyType(scope), scope, 1).sql() + ")";
                case 4, 5 -> "SUM(" + expr(pick(numbers).type(), scope, 1).sql() + ")";
                case 6, 7 -> want(Feature.MATH_FUNCTIONS, 0.5) ? "ROUND(AVG(" + expr(pick(numbers).type(), scope, 1).sql() + "), 2)"
                        : "AVG(" + expr(pick(numbers).type(), scope, 1).sql() + ")";
                default -> {
                    if (!want(Feature.ARITHMETIC, 1)) {
                        yield "COUNT(*)";
                    }
                    String n = pick(numbers).sql();
                    yield chance(0.5) ? "MAX(" + n + ") - MIN(" + n + ")" : "COUNT(*) * 2 + SUM(" + n + ")";
                }
            };
        }

        E expr(Type t, List<Rel> scope, int depth) {
            List<E> cols = columns(scope).stream().filter(c -> c.type() == t).toList();
            E leaf = cols.isEmpty() ? literal(t) : pick(cols);
            if (depth <= 0 || chance(0.4)) {
                return leaf;
            }
            List<Supplier<E>> forms = new ArrayList<>();
            Domain d = leaf.domain();
            if (enabled.contains(Feature.BASIC_FUNCTIONS)) {
                forms.add(() -> use(Feature.BASIC_FUNCTIONS, new E("COALESCE(" + expr(t, scope, depth - 1).sql() + ", "
                        + d.literal(r) + ")", t, d)));
                forms.add(() -> use(Feature.BASIC_FUNCTIONS, new E("CASE WHEN " + pred(scope, 0) + " THEN "
                        + expr(t, scope, depth - 1).sql() + (chance(0.7) ? " ELSE " + expr(t, scope, depth - 1).sql() : "")
                        + " END", t, d)));
            }
            if (t == Type.STR) {
                if (enabled.contains(Feature.BASIC_FUNCTIONS)) {
                    forms.add(() -> use(Feature.BASIC_FUNCTIONS, new E((chance(0.5) ? "UPPER(" : "LOWER(")
                            + expr(t, scope, depth - 1).sql() + ")", t, d)));
                }
                addIf(forms, Feature.CONCAT, () -> new E(expr(t, scope, depth - 1).sql() + " || "
                        + expr(t, scope, depth - 1).sql(), t, d));
                addIf(forms, Feature.CAST, () -> new E("CAST(" + numericColumn(scope).sql() + " AS VARCHAR)", t, d));
            }
            if (t.numeric()) {
                addIf(forms, Feature.ARITHMETIC, () -> new E(expr(t, scope, depth - 1).sql() + (chance(0.5) ? " + " : " - ")
                        + expr(chance(0.5) ? t : Type.INT, scope, depth - 1).sql(), t, d));
                addIf(forms, Feature.ARITHMETIC, () -> new E(expr(t, scope, depth - 1).sql() + " * " + (1 + r.nextInt(5)), t, d));
                if (cols.size() > 0) {
                    addIf(forms, Feature.ARITHMETIC, () -> new E(pick(cols).sql() + (chance(0.5) ? " / " : " % ")
                            + (2 + r.nextInt(6)), t, d));
                }
                addIf(forms, Feature.MATH_FUNCTIONS, () -> new E("ABS(" + expr(t, scope, depth - 1).sql() + " - "
                        + d.literal(r) + ")", t, d));
            }
            if (t == Type.INT) {
                addIf(forms, Feature.LENGTH, () -> new E("LENGTH(" + expr(Type.STR, scope, depth - 1).sql() + ")", t,
                        ShopSchema.ints(2, 12)));
                addIf(forms, Feature.CAST, () -> new E("CAST(" + numericColumn(scope).sql() + " AS INTEGER)", t, d));
                List<E> dates = columns(scope).stream().filter(c -> c.type() == Type.DATE).toList();
                if (!dates.isEmpty()) {
                    addIf(forms, Feature.EXTRACT, () -> new E("EXTRACT(YEAR FROM " + pick(dates).sql() + ")", t,
                            ShopSchema.ints(2023, 2026)));
                }
            }
            if (t == Type.DEC) {
                addIf(forms, Feature.MATH_FUNCTIONS, () -> new E("ROUND(" + expr(t, scope, depth - 1).sql() + ", "
                        + r.nextInt(2) + ")", t, d));
                addIf(forms, Feature.CAST, () -> new E("CAST(" + numericColumn(scope).sql() + " AS DECIMAL(12,2))", t, d));
            }
            return forms.isEmpty() ? leaf : pick(forms).get();
        }

        private void addIf(List<Supplier<E>> forms, Feature f, Supplier<E> form) {
            if (enabled.contains(f)) {
                forms.add(() -> use(f, form.get()));
            }
        }

        private E use(Feature f, E e) {
            used.add(f);
            return e;
        }

        E numericColumn(List<Rel> scope) {
            List<E> numbers = columns(scope).stream().filter(c -> c.type().numeric()).toList();
            return numbers.isEmpty() ? literal(Type.INT) : pick(numbers);
        }

        E literal(Type t) {
            Domain d = switch (t) {
                case INT -> ShopSchema.ints(0, 9);
                case DEC -> ShopSchema.decimals(0, 999, 2);
                case STR -> ShopSchema.strings(new String[] {"none", "zz", "x"}, new String[] {"%"});
                case DATE -> ShopSchema.dates();
            };
            if (t == Type.DATE) {
                used.add(Feature.DATES);
            }
            return new E(d.literal(r), t, d);
        }

        /** Every usable column of the scope; a column of type {@code t} when given. */
        List<E> columns(List<Rel> scope) {
            List<E> out = new ArrayList<>();
            for (Rel rel : scope) {
                for (Column c : rel.columns()) {
                    if (usable(c)) {
                        out.add(new E(rel.alias() + "." + c.name(), c.type(), c.domain()));
                    }
                }
            }
            return out;
        }

        E column(List<Rel> scope, Type t) {
            E c = pick(columns(scope).stream().filter(x -> t == null || x.type() == t).toList());
            if (c.type() == Type.DATE) {
                used.add(Feature.DATES);
            }
            return c;
        }

        boolean hasColumnsOf(List<Rel> scope, List<Type> types) {
            List<Type> have = columns(scope).stream().map(E::type).toList();
            return have.containsAll(types);
        }

        boolean usable(Column c) {
            return c.type() != Type.DATE || enabled.contains(Feature.DATES);
        }

        Type anyType(List<Rel> scope) {
            return column(scope, null).type();
        }

        boolean compatible(Type a, Type b) {
            return a == b || a.numeric() && b.numeric();
        }

        int literalOrder(Type t, String a, String b) {
            return t.numeric() ? new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b)) : a.compareTo(b);
        }

        String list(List<Item> items) {
            return items.stream().map(Item::sql).collect(Collectors.joining(", "));
        }

        boolean chance(double p) {
            return r.nextDouble() < p;
        }

        boolean want(Feature f, double p) {
            if (enabled.contains(f) && chance(p)) {
                used.add(f);
                return true;
            }
            return false;
        }

        boolean wantAll(double p, Feature... features) {
            for (Feature f : features) {
                if (!enabled.contains(f)) {
                    return false;
                }
            }
            if (!chance(p)) {
                return false;
            }
            used.addAll(List.of(features));
            return true;
        }

        <T> T pick(List<T> list) {
            return list.get(r.nextInt(list.size()));
        }
    }
}
