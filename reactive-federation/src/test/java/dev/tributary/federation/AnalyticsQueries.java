package dev.tributary.federation;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written analytic federated queries (aggregates, GROUP BY/HAVING, DISTINCT, derived tables, WITH,
 * subqueries, UNION) over the {@link ShopFixture} data set: customers c (H2 crm), countries k (H2 geo),
 * orders o and order_lines l (PostgreSQL sales), products p (MariaDB stock).
 */
final class AnalyticsQueries {

    private AnalyticsQueries() {
    }

    private static final String CO = " FROM customers c JOIN orders o ON o.customer_id = c.id";

    static List<DifferentialQueries.Case> all() {
        List<DifferentialQueries.Case> q = new ArrayList<>();
        // aggregates over a federated join
        q.add(c("revenue per country", "SELECT c.country, SUM(o.amount) AS revenue, COUNT(*) AS n" + CO
                + " GROUP BY c.country"));
        q.add(o("revenue per country ordered with nulls last", "SELECT c.country, SUM(o.amount) AS revenue" + CO
                + " GROUP BY c.country ORDER BY c.country NULLS LAST"));
        q.add(c("count star vs count column vs count distinct", "SELECT c.segment, COUNT(*), COUNT(o.priority),"
                + " COUNT(DISTINCT o.status), COUNT(DISTINCT o.priority)" + CO + " GROUP BY c.segment"));
        q.add(c("min max avg of decimals and integers", "SELECT c.country, MIN(o.amount), MAX(o.amount),"
                + " AVG(o.amount), AVG(o.priority), SUM(o.priority)" + CO + " GROUP BY c.country"));
        q.add(c("aggregate without group by over a join", "SELECT COUNT(*), SUM(o.amount), MAX(c.name)" + CO));
        q.add(c("aggregate without group by over no rows", "SELECT COUNT(*), SUM(o.amount), AVG(o.amount)" + CO
                + " WHERE c.country = 'ZZ'"));
        q.add(c("having filters groups", "SELECT c.id, COUNT(*) AS orders" + CO + " GROUP BY c.id HAVING COUNT(*) > 2"));
        q.add(c("having on an aggregate not in the select list", "SELECT c.country" + CO
                + " GROUP BY c.country HAVING SUM(o.amount) > 1000 AND MIN(o.priority) IS NOT NULL"));
        q.add(c("group by an expression", "SELECT o.amount > 500 AS big, COUNT(*)" + CO + " GROUP BY o.amount > 500"));
        q.add(c("group by ordinal and alias", "SELECT c.segment AS seg, o.status, COUNT(*)" + CO + " GROUP BY seg, 2"));
        q.add(c("group by a case expression with literals", "SELECT CASE WHEN o.amount > 100 THEN 'big' ELSE 'small' END"
                + " AS size, COUNT(*)" + CO + " GROUP BY CASE WHEN o.amount > 100 THEN 'big' ELSE 'small' END"));
        q.add(c("arithmetic over aggregates", "SELECT c.country, SUM(o.amount) / COUNT(*) AS avg_amount,"
                + " SUM(o.priority) / COUNT(o.priority) AS int_division" + CO + " GROUP BY c.country"));
        q.add(c("three databases grouped", "SELECT p.category, SUM(l.qty) AS units, COUNT(DISTINCT c.id) AS buyers"
                + " FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_lines l ON l.order_id = o.id"
                + " JOIN products p ON p.id = l.product_id GROUP BY p.category"));
        q.add(c("left join aggregate counts zero", "SELECT c.id, COUNT(o.id) FROM customers c LEFT JOIN orders o"
                + " ON o.customer_id = c.id GROUP BY c.id"));
        q.add(o("top 5 customers by revenue", "SELECT c.id, c.name, SUM(o.amount) AS revenue" + CO
                + " GROUP BY c.id, c.name ORDER BY revenue DESC, c.id LIMIT 5"));
        q.add(o("order by an aggregate not selected", "SELECT c.country" + CO
                + " GROUP BY c.country ORDER BY COUNT(*) DESC, c.country NULLS FIRST"));
        q.add(o("limit and offset over a sorted join", "SELECT c.id, o.id" + CO + " ORDER BY o.id LIMIT 7 OFFSET 3"));
        q.add(c("select distinct over a join", "SELECT DISTINCT c.country, o.status" + CO));
        q.add(o("select distinct ordered", "SELECT DISTINCT c.segment" + CO + " ORDER BY c.segment NULLS FIRST"));
        q.add(c("single database aggregate sent whole", "SELECT status, COUNT(*), SUM(amount) FROM orders"
                + " GROUP BY status HAVING COUNT(*) > 1"));
        // subqueries
        q.add(c("in subquery across databases", "SELECT c.id, c.name FROM customers c WHERE c.id IN"
                + " (SELECT o.customer_id FROM orders o WHERE o.amount > 500)"));
        q.add(c("not in subquery with nulls in the subquery", "SELECT COUNT(*) FROM customers c WHERE c.id NOT IN"
                + " (SELECT o.customer_id FROM orders o)"));
        q.add(c("not in subquery without nulls", "SELECT c.id FROM customers c WHERE c.id NOT IN"
                + " (SELECT o.customer_id FROM orders o WHERE o.customer_id IS NOT NULL)"));
        q.add(c("exists correlated", "SELECT c.id FROM customers c WHERE EXISTS"
                + " (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'paid')"));
        q.add(c("not exists correlated", "SELECT c.id, c.name FROM customers c WHERE NOT EXISTS"
                + " (SELECT 1 FROM orders o WHERE o.customer_id = c.id)"));
        q.add(c("exists with a filter on the outer table", "SELECT c.id FROM customers c WHERE c.country = 'DE' AND"
                + " EXISTS (SELECT * FROM orders o WHERE c.id = o.customer_id)"));
        q.add(c("correlated in subquery", "SELECT o.id FROM orders o WHERE o.customer_id IN"
                + " (SELECT c.id FROM customers c WHERE c.country = 'DE' AND c.id = o.customer_id)"));
        q.add(c("in subquery inside one database is pushed", "SELECT c.id, o.id" + CO
                + " WHERE o.id IN (SELECT l.order_id FROM order_lines l WHERE l.qty > 3)"));
        q.add(c("scalar subquery in where across databases", "SELECT o.id, o.amount FROM orders o"
                + " WHERE o.amount > (SELECT AVG(c.credit) FROM customers c)"));
        q.add(c("scalar subquery in the select list of a join", "SELECT c.id, o.amount,"
                + " (SELECT MAX(p.price) FROM products p) AS top_price" + CO));
        q.add(c("uncorrelated exists as a value", "SELECT c.id FROM customers c WHERE c.country = 'FR'"
                + " OR EXISTS (SELECT 1 FROM orders o WHERE o.amount > 100000)"));
        q.add(c("in subquery with aggregate", "SELECT c.id FROM customers c WHERE c.id IN"
                + " (SELECT o.customer_id FROM orders o GROUP BY o.customer_id HAVING COUNT(*) >= 3)"));
        // derived tables and WITH
        q.add(c("derived table aggregated then joined", "SELECT c.name, t.total FROM customers c JOIN"
                + " (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id) t ON t.customer_id = c.id"));
        q.add(c("with query joined across databases", "WITH big AS (SELECT id, customer_id FROM orders WHERE amount > 300)"
                + " SELECT c.country, COUNT(*) FROM customers c JOIN big b ON b.customer_id = c.id GROUP BY c.country"));
        q.add(c("derived table spanning databases", "SELECT t.country, MAX(t.amount) FROM (SELECT c.country, o.amount" + CO
                + ") t GROUP BY t.country"));
        q.add(c("with query referenced twice", "WITH de AS (SELECT id FROM customers WHERE country = 'DE')"
                + " SELECT o.id FROM orders o JOIN de a ON a.id = o.customer_id WHERE o.customer_id IN (SELECT id FROM de)"));
        // set operations
        q.add(c("union all across databases", "SELECT name FROM customers UNION ALL SELECT name FROM products"));
        q.add(c("union removes duplicates", "SELECT country AS code FROM customers UNION SELECT code FROM countries"));
        q.add(o("union all ordered and limited", "SELECT id, name FROM customers UNION ALL SELECT id, name FROM products"
                + " ORDER BY 2, 1 LIMIT 10"));
        q.add(c("union of aggregates", "SELECT 'orders' AS what, COUNT(*) AS n FROM orders UNION ALL"
                + " SELECT 'customers', COUNT(*) FROM customers"));
        q.add(c("union in a derived table grouped", "SELECT u.country, COUNT(*) FROM (SELECT country FROM customers"
                + " UNION ALL SELECT code FROM countries) u GROUP BY u.country"));
        q.add(c("union inside one database is sent whole", "SELECT id FROM orders WHERE amount > 500 UNION"
                + " SELECT order_id FROM order_lines WHERE qty > 4"));
        q.add(c("integer division sent whole to MariaDB truncates as in PostgreSQL", "SELECT p.category,"
                + " SUM(p.stock) / COUNT(p.stock) AS avg_stock, MIN(p.stock) / 7 AS sevenths FROM products p"
                + " GROUP BY p.category"));
        q.add(c("limit after the last union branch limits the whole union (regression)", "SELECT COUNT(*) FROM"
                + " (SELECT id FROM customers UNION ALL SELECT id FROM products LIMIT 10) t"));
        return q;
    }

    private static DifferentialQueries.Case c(String name, String sql) {
        return new DifferentialQueries.Case(name, sql, false);
    }

    private static DifferentialQueries.Case o(String name, String sql) {
        return new DifferentialQueries.Case(name, sql, true);
    }
}
