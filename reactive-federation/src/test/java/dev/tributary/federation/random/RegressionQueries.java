package dev.tributary.federation.random;

import java.util.List;

/**
 * Hand-written minimal queries for the engine bugs {@link RandomQueryGenerator} found, each compared with the
 * PostgreSQL oracle by {@link RandomDifferentialTest}. The name says what went wrong; the comment gives the seed
 * and query number that found it.
 */
final class RegressionQueries {

    /** One regression query; {@code ordered} when its ORDER BY fixes the order of every output row. */
    record Case(String name, String sql, boolean ordered) {
        @Override
        public String toString() {
            return name;
        }
    }

    private RegressionQueries() {
    }

    static List<Case> all() {
        return List.of(
                // seed 20261122 (first generator version) query 34: AVG(s1.order_id / 4) pushed whole to MariaDB
                new Case("integer division pushed to MariaDB truncates as in PostgreSQL (fixed on main by 'func')",
                        "SELECT p.id, p.stock / 4 AS q FROM products p WHERE p.stock IS NOT NULL", false),
                // seed 20261122 query 68: p1.id / 6 in a UNION ALL branch on MariaDB gave 0.6667, not 0.666667
                new Case("decimal division pushed to MariaDB keeps PostgreSQL's precision",
                        "SELECT p.id, p.id / 6 AS q FROM products p", false),
                // seed 20261122 query 221: COALESCE($1, $2) on H2 fails with Unknown data type: "?"
                new Case("an expression of literals only pushed to H2",
                        "SELECT c.id, COALESCE(DATE '2025-04-15', DATE '2024-10-27') AS d FROM customers c", false),
                // seed 20261122 (first generator version) query 34: MariaDB returned COALESCE(date, ?) as a string
                new Case("COALESCE of a date column and a date literal on MariaDB is a date",
                        "SELECT s.id, COALESCE(s.shipped_on, DATE '2022-12-22') AS d FROM shipments s", false),
                // seed 1 query 960: a UNION on MariaDB with a branch of date literals returned strings
                new Case("a UNION of a date column and date literals on MariaDB is a date",
                        "SELECT s.shipped_on AS d FROM shipments s WHERE s.id < 5 UNION SELECT DATE '2023-10-25' FROM products p"
                                + " WHERE p.id = 1", false),
                // seed 1 query 479: MariaDB rejects HAVING over the GROUP BY expression: Unknown column 'p1.id' in 'HAVING'
                new Case("HAVING over a GROUP BY expression pushed whole to MariaDB",
                        "SELECT ROUND(p.price, 0) AS r, COUNT(*) AS n FROM products p GROUP BY ROUND(p.price, 0)"
                                + " HAVING ROUND(p.price, 0) <= 100", false),
                // seed 1 queries 701, 1094, 1621: AVG on MariaDB has 4 decimals (240.4486), PostgreSQL's 16 (240.448598...)
                new Case("AVG pushed to MariaDB keeps PostgreSQL's precision",
                        "SELECT p.category, AVG(p.stock) AS a FROM products p GROUP BY p.category", false),
                // seed 1 query 1934: ORDER BY position of a SELECT DISTINCT expression with a literal was rendered
                // as the expression with fresh bind markers, which PostgreSQL rejects
                new Case("ORDER BY a SELECT DISTINCT expression with a literal, pushed whole",
                        "SELECT DISTINCT o.priority % 4 AS m, o.status FROM orders o ORDER BY 1 NULLS LAST, 2", true),
                // seed 20261122 query 235: SUBSTRING of an expression failed to parse: syntax error near ','
                new Case("SUBSTRING of an expression with start and count",
                        "SELECT c.id, SUBSTRING(UPPER(c.name), 1, 3) AS s, SUBSTR(TRIM(c.name), 2) AS t FROM customers c",
                        false),
                // seed 1 query 3583: the GROUP BY copy of a select-list expression with a decimal or string literal
                // got its own bind markers, and PostgreSQL took it for a different expression
                new Case("GROUP BY an expression with decimal and string literals, pushed whole to PostgreSQL",
                        "SELECT CASE WHEN l.price > 24.31 THEN o.status ELSE 'none' END AS g, COUNT(*) AS n"
                                + " FROM order_lines l JOIN orders o ON o.id = l.order_id"
                                + " GROUP BY CASE WHEN l.price > 24.31 THEN o.status ELSE 'none' END", false),
                new Case("GROUP BY position of an expression with a string literal, pushed whole to PostgreSQL",
                        "SELECT CASE WHEN o.status LIKE '%ed' THEN o.id ELSE o.priority END AS g, COUNT(*) AS n"
                                + " FROM orders o GROUP BY 1", false),
                new Case("GROUP BY an expression with a string literal, pushed whole to H2",
                        "SELECT COALESCE(c.segment, 'n/a') AS s, COUNT(*) AS n FROM customers c"
                                + " GROUP BY COALESCE(c.segment, 'n/a')", false),
                // found while reviewing the integer inlining under GROUP BY: H2 typed MOD(decimal, 7) as an integer
                new Case("a decimal modulo an integer, grouped, pushed whole to H2",
                        "SELECT c.credit % 7 AS m, COUNT(*) AS n FROM customers c GROUP BY c.credit % 7", false),
                // seed 1 query 4271: SUM of an integer column on MariaDB came back DECIMAL, so dividing it in memory
                // was a decimal division where PostgreSQL's SUM is a bigint and divides as an integer
                new Case("SUM of integers from MariaDB divided in memory is an integer division",
                        "WITH d AS (SELECT s.order_id, SUM(s.id) AS total, SUM(s.order_id) AS big FROM shipments s"
                                + " GROUP BY s.order_id) SELECT d.order_id, d.total / 7 AS q, d.big / 7 AS r, o.status"
                                + " FROM d JOIN orders o ON o.id = d.order_id", false),
                // found while reviewing: numeric literals alone in a select list on H2 failed with Unknown data type
                new Case("numeric literals alone in a select list pushed to H2",
                        "SELECT k.code, COALESCE(5.17, 9.78) AS c, 5.90 AS d, 7 AS e FROM countries k", false));
    }
}
