package dev.tributary.federation;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes the planner normalizes or decorrelates, over the {@link ShopFixture} data set, run by
 * {@link DifferentialTest} against the PostgreSQL oracle: correlated scalar subqueries over another database
 * (empty groups and NULL keys included), ORs repeating a join key in every branch, and equalities passed on
 * transitively.
 */
final class PlannerQueries {

    private PlannerQueries() {
    }

    static List<DifferentialQueries.Case> all() {
        List<DifferentialQueries.Case> q = new ArrayList<>();
        // correlated scalar subqueries over another database (the three shapes first)
        q.add(c("a line below a share of its product's average quantity (MariaDB outer, PostgreSQL subquery)",
                "SELECT l.order_id, l.line_no FROM order_lines l JOIN products p ON p.id = l.product_id"
                        + " WHERE p.category = 'toys' AND l.qty < (SELECT 0.8 * AVG(l2.qty) FROM order_lines l2"
                        + " WHERE l2.product_id = p.id)"));
        q.add(c("the line at its product's minimum price among orders not cancelled",
                "SELECT p.id, p.name, l.order_id, l.line_no FROM products p JOIN order_lines l ON l.product_id = p.id"
                        + " WHERE l.price = (SELECT MIN(l2.price) FROM order_lines l2 JOIN orders o2 ON o2.id = l2.order_id"
                        + " WHERE l2.product_id = p.id AND o2.status <> 'cancelled')"));
        q.add(c("stock above half the quantity sold, correlated by two keys",
                "SELECT p.id, s.id FROM products p JOIN shipments s ON s.id = p.id"
                        + " WHERE p.stock > (SELECT 0.5 * SUM(l.qty) FROM order_lines l"
                        + " WHERE l.product_id = p.id AND l.order_id = s.order_id AND l.qty > 0)"));
        q.add(c("a correlation key that is an expression of the outer row",
                "SELECT s.id, s.order_id FROM shipments s WHERE 1 > (SELECT COUNT(*) FROM orders o"
                        + " WHERE o.id = s.order_id AND o.priority = s.id % 5)"));
        q.add(c("COUNT of an empty group is 0 and SUM is NULL, in the select list",
                "SELECT c.id, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS n,"
                        + " (SELECT SUM(o.amount) FROM orders o WHERE o.customer_id = c.id) AS total,"
                        + " (SELECT COUNT(o.priority) + 1 FROM orders o WHERE o.customer_id = c.id) AS m FROM customers c"));
        q.add(c("COUNT of an empty group compared in WHERE",
                "SELECT c.id, c.name FROM customers c WHERE (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) = 0"));
        q.add(c("a NULL outer key finds an empty group",
                "SELECT o.id, (SELECT COUNT(*) FROM customers c WHERE c.id = o.customer_id) AS n,"
                        + " (SELECT MAX(c.credit) FROM customers c WHERE c.id = o.customer_id) AS m FROM orders o"));
        q.add(c("lines whose product is NULL or unknown",
                "SELECT l.order_id, l.line_no FROM order_lines l WHERE 1 > (SELECT COUNT(*) FROM products p"
                        + " WHERE p.id = l.product_id)"));
        q.add(c("COALESCE inside the subquery turns an empty SUM into 0",
                "SELECT c.id FROM customers c WHERE c.id < 80 AND 100 > (SELECT COALESCE(SUM(o.amount), 0) FROM orders o"
                        + " WHERE o.customer_id = c.id)"));
        q.add(c("a correlated subquery inside OR and one in the select list, over a join",
                "SELECT c.id, o.id, (SELECT MAX(l.qty) FROM order_lines l WHERE l.order_id = o.id) AS top"
                        + " FROM customers c JOIN orders o ON o.customer_id = c.id"
                        + " WHERE c.country = 'DE' OR o.amount > (SELECT AVG(o2.amount) FROM orders o2 WHERE o2.customer_id = c.id)"));
        q.add(c("a correlated subquery in WHERE of a grouped query",
                "SELECT c.country, COUNT(*) AS n FROM customers c WHERE c.credit > (SELECT MIN(o.amount) FROM orders o"
                        + " WHERE o.customer_id = c.id) GROUP BY c.country"));
        q.add(c("a correlated subquery inside an IN subquery across databases",
                "SELECT c.id FROM customers c WHERE c.id IN (SELECT o.customer_id FROM orders o"
                        + " WHERE o.amount > (SELECT AVG(p.price) FROM products p WHERE p.id = o.priority))"));
        q.add(c("the same correlated subquery in the select list and ORDER BY",
                "SELECT k.code, (SELECT COUNT(*) FROM customers c WHERE c.country = k.code) AS n FROM countries k"
                        + " JOIN customers c2 ON c2.country = k.code WHERE c2.id < 30 ORDER BY n DESC, k.code, c2.id"));
        q.add(c("a correlated subquery on a group key in HAVING and the select list of a grouped query",
                "SELECT c.id, COUNT(*) AS n, (SELECT SUM(o.amount) FROM orders o WHERE o.customer_id = c.id) AS total"
                        + " FROM customers c JOIN countries k ON k.code = c.country GROUP BY c.id"
                        + " HAVING 2 > (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id)"));
        // ORs of ANDs repeating the join key
        q.add(c("a join key repeated in every OR branch joins the tables, each branch's filters implied per side",
                "SELECT p.id, l.order_id, l.line_no FROM products p, order_lines l"
                        + " WHERE (p.id = l.product_id AND p.category = 'toys' AND l.qty BETWEEN 1 AND 3)"
                        + " OR (p.id = l.product_id AND p.category = 'garden' AND l.qty BETWEEN 5 AND 9)"));
        q.add(c("three branches over two databases, one with an IS NULL",
                "SELECT c.id, o.id FROM customers c, orders o"
                        + " WHERE (c.id = o.customer_id AND c.country = 'DE' AND o.amount > 100)"
                        + " OR (c.id = o.customer_id AND c.country IS NULL AND o.status = 'open')"
                        + " OR (c.id = o.customer_id AND c.segment = 'smb' AND o.priority IS NULL)"));
        q.add(c("a branch that is only the join key makes the OR true",
                "SELECT c.id, o.id FROM customers c, orders o WHERE (c.id = o.customer_id)"
                        + " OR (c.id = o.customer_id AND c.country = 'DE')"));
        q.add(c("an OR implying filters on each side of an inner join",
                "SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id"
                        + " WHERE (c.country = 'DE' AND o.amount > 500) OR (c.country = 'FR' AND o.amount < 100)"));
        q.add(c("an OR over the null-supplied side of a left join",
                "SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"
                        + " WHERE (c.country = 'DE' AND o.status = 'paid') OR (c.country = 'SE' AND o.status IS NULL)"));
        // transitive equalities
        q.add(c("a constant passed along two joins to MariaDB",
                "SELECT o.id, l.line_no, s.id FROM orders o JOIN order_lines l ON l.order_id = o.id"
                        + " JOIN shipments s ON s.order_id = l.order_id WHERE o.id IN (SELECT s2.order_id FROM shipments s2)"
                        + " AND l.order_id = 12"));
        q.add(c("a = b and b = c join a to c",
                "SELECT o.id, s.id FROM orders o, order_lines l, shipments s WHERE l.order_id = o.id"
                        + " AND s.order_id = l.order_id AND l.qty > 7"));
        return q;
    }

    private static DifferentialQueries.Case c(String name, String sql) {
        return new DifferentialQueries.Case(name, sql, false);
    }
}
