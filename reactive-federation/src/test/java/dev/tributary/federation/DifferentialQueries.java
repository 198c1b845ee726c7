package dev.tributary.federation;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written federated queries over the {@link ShopFixture} data set. Tables: customers c (H2 crm),
 * countries k (H2 geo), orders o and order_lines l (PostgreSQL sales), products p (MariaDB stock).
 */
final class DifferentialQueries {

    /** One query; {@code ordered} when its ORDER BY fixes the order of every row. */
    record Case(String name, String sql, boolean ordered, Object... params) {
        @Override
        public String toString() {
            return name;
        }
    }

    private DifferentialQueries() {
    }

    private static final String CO = " FROM customers c JOIN orders o ON o.customer_id = c.id";
    private static final String LP = " FROM order_lines l JOIN products p ON p.id = l.product_id";
    private static final String THREE = " FROM customers c JOIN orders o ON o.customer_id = c.id"
            + " JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id";
    private static final String FOUR = " FROM countries k JOIN customers c ON c.country = k.code"
            + " JOIN orders o ON o.customer_id = c.id JOIN order_lines l ON l.order_id = o.id";

    static List<Case> all() {
        List<Case> q = new ArrayList<>();
        // two databases: H2 customers x PostgreSQL orders
        q.add(c("inner join with a filter pushed to H2", "SELECT c.name, o.amount" + CO + " WHERE c.country = 'DE'"));
        q.add(c("inner join unfiltered", "SELECT c.id, o.id" + CO));
        q.add(c("left join keeps customers without orders", "SELECT c.id, o.id, o.amount FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"));
        q.add(c("left join keeps orders without customers", "SELECT o.id, c.name FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"));
        q.add(c("right join", "SELECT c.id, o.id FROM customers c RIGHT JOIN orders o ON o.customer_id = c.id"));
        q.add(c("full join", "SELECT c.id, o.id FROM customers c FULL JOIN orders o ON o.customer_id = c.id"));
        q.add(c("full join with a condition on one side in ON", "SELECT c.id, o.id FROM customers c FULL OUTER JOIN orders o ON o.customer_id = c.id AND o.amount > 500"));
        q.add(c("left join with a condition on the preserved side in ON", "SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND c.segment = 'smb'"));
        q.add(c("left join with a condition on the null-supplied side in ON", "SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'"));
        q.add(c("where on the null-supplied side after a left join", "SELECT c.id, o.status FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.status = 'paid' OR o.status IS NULL"));
        q.add(c("comma join with the condition in WHERE", "SELECT c.name, o.amount FROM customers c, orders o WHERE c.id = o.customer_id AND o.amount > 900"));
        q.add(c("cross-database predicate after the join", "SELECT c.id, o.id" + CO + " WHERE o.amount > c.credit"));
        q.add(c("cross-database residual in ON", "SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id AND o.priority < c.id % 5"));
        q.add(c("left join with a cross-database residual", "SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.amount < c.credit"));
        q.add(c("IN lists on both sides", "SELECT c.name, o.id" + CO + " WHERE c.country IN ('FR', 'IT', 'ZZ') AND o.status IN ('open', 'paid')"));
        q.add(c("NOT IN list", "SELECT c.id, o.id" + CO + " WHERE c.country NOT IN ('DE', 'FR') AND o.priority NOT IN (1, 2)"));
        q.add(c("IN list between AND and OR", "SELECT c.id, o.id" + CO + " WHERE c.country = 'DE' AND o.status IN ('open', 'paid') OR c.id < 5"));
        q.add(c("NOT before an IN list", "SELECT c.id, o.id" + CO + " WHERE NOT c.country IN ('DE', 'FR', 'IT') AND o.priority IN (0, 4)"));
        q.add(c("BETWEEN on both sides", "SELECT c.id, o.id" + CO + " WHERE o.amount BETWEEN 100 AND 200 AND c.id BETWEEN 10 AND 300"));
        q.add(c("NOT BETWEEN", "SELECT c.id, o.id" + CO + " WHERE o.amount NOT BETWEEN 10 AND 900"));
        q.add(c("LIKE", "SELECT c.name, o.id" + CO + " WHERE c.name LIKE 'Customer 1%'"));
        q.add(c("NOT LIKE with underscore", "SELECT c.name, o.id" + CO + " WHERE c.name NOT LIKE 'Customer _' AND o.status LIKE '%e%'"));
        q.add(c("IS NULL", "SELECT c.id, o.id" + CO + " WHERE c.country IS NULL"));
        q.add(c("IS NOT NULL and NOT", "SELECT c.id, o.id" + CO + " WHERE o.priority IS NOT NULL AND NOT (o.status = 'cancelled')"));
        q.add(c("OR across databases", "SELECT c.id, o.id" + CO + " WHERE c.country = 'DE' OR o.status = 'open'"));
        q.add(c("searched CASE", "SELECT c.id, CASE WHEN o.amount > 500 THEN 'big' WHEN o.amount > 100 THEN 'mid' ELSE 'small' END AS size" + CO));
        q.add(c("simple CASE", "SELECT o.id, CASE o.status WHEN 'open' THEN 1 WHEN 'paid' THEN 2 END AS code, c.segment" + CO));
        q.add(c("COALESCE over a left join", "SELECT c.id, COALESCE(o.priority, c.id, 0) AS p FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"));
        q.add(c("LOWER and UPPER", "SELECT UPPER(c.name) AS u, LOWER(o.status) AS s" + CO + " WHERE LOWER(c.segment) = 'retail'"));
        q.add(c("arithmetic across databases", "SELECT o.id, o.amount * 2 + c.id AS x, o.amount - c.credit AS d, -o.amount AS n" + CO));
        q.add(c("integer division and modulo", "SELECT o.id, c.id / 3 AS q, c.id % 7 AS r, o.priority * c.id AS m" + CO));
        q.add(c("ORDER BY with LIMIT", "SELECT c.name, o.id, o.amount" + CO + " ORDER BY o.amount DESC, o.id LIMIT 20", true));
        q.add(c("ORDER BY with LIMIT and OFFSET", "SELECT c.name, o.id" + CO + " ORDER BY o.id LIMIT 10 OFFSET 5", true));
        q.add(c("ORDER BY NULLS FIRST", "SELECT c.credit, o.id" + CO + " ORDER BY c.credit NULLS FIRST, o.id", true));
        q.add(c("ORDER BY DESC NULLS LAST", "SELECT o.priority, o.id" + CO + " ORDER BY o.priority DESC NULLS LAST, o.id", true));
        q.add(c("ORDER BY an output alias", "SELECT o.amount AS amt, o.id" + CO + " ORDER BY amt DESC, o.id LIMIT 15", true));
        q.add(c("ORDER BY positions", "SELECT c.id, o.id" + CO + " WHERE c.country = 'SE' ORDER BY 2, 1", true));
        q.add(c("OFFSET only", "SELECT o.id" + CO + " ORDER BY o.id OFFSET 1200", true));
        q.add(c("DISTINCT", "SELECT DISTINCT c.country, o.status" + CO));
        q.add(c("DISTINCT with ORDER BY", "SELECT DISTINCT c.country" + CO + " ORDER BY c.country", true));
        q.add(c("positional parameters", "SELECT c.name, o.amount" + CO + " WHERE c.country = ? AND o.amount > ?", false, "FR", 300));
        q.add(c("composite key with a computed part", "SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id AND o.priority = c.id % 5"));
        q.add(c("same H2 database twice, not joined to each other", "SELECT c1.id, c2.id, o.id FROM customers c1 JOIN orders o ON o.customer_id = c1.id JOIN customers c2 ON c2.id = o.priority"));
        // two H2 databases: countries x customers (string keys)
        q.add(c("string keys with a pushed filter", "SELECT k.name, c.name FROM countries k JOIN customers c ON c.country = k.code WHERE k.region = 'Nordics'"));
        q.add(c("left join to countries", "SELECT c.id, k.region FROM customers c LEFT JOIN countries k ON k.code = c.country"));
        q.add(c("full join to countries", "SELECT c.id, k.code FROM customers c FULL JOIN countries k ON k.code = c.country"));
        q.add(c("star over two databases", "SELECT * FROM countries k JOIN customers c ON c.country = k.code WHERE c.segment = 'enterprise'"));
        q.add(c("table star", "SELECT k.*, c.id FROM countries k JOIN customers c ON c.country = k.code WHERE k.code < 'F'"));
        // PostgreSQL x MariaDB: INT against DECIMAL(10,0) keys
        q.add(c("int against decimal keys", "SELECT l.order_id, l.line_no, p.name" + LP));
        q.add(c("left join to products", "SELECT l.order_id, l.line_no, p.category FROM order_lines l LEFT JOIN products p ON p.id = l.product_id"));
        q.add(c("right join to products", "SELECT l.order_id, p.id FROM order_lines l RIGHT JOIN products p ON p.id = l.product_id"));
        q.add(c("full join to products", "SELECT l.order_id, l.line_no, p.id FROM order_lines l FULL JOIN products p ON p.id = l.product_id"));
        q.add(c("filters pushed to MariaDB", "SELECT l.order_id, p.name" + LP + " WHERE p.category = 'garden' AND p.price < 50"));
        q.add(c("cross predicate on decimals", "SELECT l.order_id, l.line_no" + LP + " WHERE l.price > p.price"));
        q.add(c("arithmetic over decimals", "SELECT l.order_id, l.qty * p.price AS total" + LP + " WHERE l.qty * p.price > 300"));
        q.add(c("same-database join group plus H2", "SELECT c.name, o.id, l.line_no FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " JOIN order_lines l ON l.order_id = o.id WHERE c.segment = 'enterprise'"));
        q.add(c("outer join inside one database plus H2", "SELECT c.id, o.id, l.line_no FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id AND l.qty > 5"
                + " JOIN customers c ON c.id = o.customer_id WHERE c.country = 'AT'"));
        // three databases
        q.add(c("three databases", "SELECT c.name, o.id, p.name" + THREE + " WHERE c.country = 'DE'"));
        q.add(c("three databases with a left join at the end", "SELECT c.name, o.id, l.line_no, p.name FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " JOIN order_lines l ON l.order_id = o.id LEFT JOIN products p ON p.id = l.product_id WHERE c.segment = 'smb'"));
        q.add(c("three databases with filters everywhere", "SELECT c.id, o.id, p.id" + THREE + " WHERE p.category = 'toys' AND o.status <> 'cancelled' AND c.credit > 100"));
        q.add(c("three databases ordered with limit", "SELECT o.id, l.line_no, p.name" + THREE + " ORDER BY o.id, l.line_no LIMIT 25", true));
        q.add(c("full join after a same-database join", "SELECT o.id, l.line_no, p.id FROM orders o JOIN order_lines l ON l.order_id = o.id FULL JOIN products p ON p.id = l.product_id"));
        q.add(c("three databases as comma joins", "SELECT c.id, o.id, k.region FROM customers c, orders o, countries k"
                + " WHERE c.id = o.customer_id AND k.code = c.country AND k.region = 'EU'"));
        q.add(c("chain of left joins", "SELECT k.code, c.id, o.id FROM countries k LEFT JOIN customers c ON c.country = k.code"
                + " LEFT JOIN orders o ON o.customer_id = c.id"));
        q.add(c("right join with a filter on the preserved side", "SELECT c.id, o.id FROM orders o RIGHT JOIN customers c ON c.id = o.customer_id WHERE c.country = 'NL'"));
        q.add(c("right join of a join", "SELECT c.id, o.id, l.line_no FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " RIGHT JOIN order_lines l ON l.order_id = o.id WHERE l.qty = 9"));
        // four databases
        q.add(c("four databases", "SELECT k.name, c.name, o.id, p.name" + FOUR + " JOIN products p ON p.id = l.product_id WHERE k.region = 'Nordics'"));
        q.add(c("four databases with a left join", "SELECT k.code, o.id, l.line_no, p.category" + FOUR
                + " LEFT JOIN products p ON p.id = l.product_id WHERE k.code IN ('DE', 'FR')"));
        q.add(c("four databases with a cross predicate", "SELECT o.id, l.line_no" + FOUR + " JOIN products p ON p.id = l.product_id WHERE p.price > o.amount / 10"));
        q.add(c("four databases ordered with limit", "SELECT o.id, l.line_no, k.code" + FOUR + " JOIN products p ON p.id = l.product_id"
                + " ORDER BY o.id DESC, l.line_no LIMIT 30", true));
        q.add(c("four databases distinct", "SELECT DISTINCT k.region, p.category" + FOUR + " JOIN products p ON p.id = l.product_id"));
        // one database: sent whole
        q.add(c("PostgreSQL only, sent whole", "SELECT o.id, l.qty FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.amount > 950 ORDER BY o.id, l.line_no", true));
        q.add(c("H2 only, sent whole", "SELECT c.country, c.name FROM customers c WHERE c.credit IS NULL ORDER BY c.country, c.id", true));
        q.add(c("MariaDB only, sent whole", "SELECT p.name, p.price FROM products p WHERE p.stock IS NULL OR p.stock < 20 ORDER BY p.category DESC, p.price DESC, p.id", true));
        q.add(c("MariaDB only with LIMIT and OFFSET", "SELECT p.id, p.name FROM products p WHERE p.category IN ('toys', 'garden')"
                + " ORDER BY p.stock DESC NULLS FIRST, p.id LIMIT 10 OFFSET 3", true));
        q.add(c("H2 only with OFFSET only", "SELECT c.id FROM customers c WHERE c.segment IS NULL ORDER BY c.id OFFSET 20", true));
        q.add(c("PostgreSQL only with DISTINCT and a parameter", "SELECT DISTINCT o.status FROM orders o WHERE o.amount > ? ORDER BY o.status", true, 500));
        return q;
    }

    private static Case c(String name, String sql) {
        return new Case(name, sql, false);
    }

    private static Case c(String name, String sql, boolean ordered, Object... params) {
        return new Case(name, sql, ordered, params);
    }
}
