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
                        "SELECT DISTINCT o.priority % 4 AS m, o.status FROM orders o ORDER BY 1 NULLS LAST, 2", true));
    }
}
