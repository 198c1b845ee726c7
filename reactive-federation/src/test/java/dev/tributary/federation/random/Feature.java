package dev.tributary.federation.random;

/**
 * The SQL constructs {@link RandomQueryGenerator} can use, each behind its own flag so that a run exercises only
 * what the engine supports. Inner joins, column references, literals and the plain predicates (comparisons,
 * {@code IS [NOT] NULL}, {@code IN} lists, {@code BETWEEN}, {@code LIKE}, {@code AND/OR/NOT}) are always on.
 */
public enum Feature {
    /** {@code LEFT JOIN}. */
    LEFT_JOIN,
    /** {@code RIGHT JOIN}. */
    RIGHT_JOIN,
    /** {@code FULL JOIN}. */
    FULL_JOIN,
    /** {@code ORDER BY} (total over the output, or partial without LIMIT). */
    ORDER_BY,
    /** {@code LIMIT} and {@code OFFSET}, only after a total {@code ORDER BY}. */
    LIMIT,
    /** {@code SELECT DISTINCT}. */
    DISTINCT,
    /** {@code COALESCE}, {@code LOWER}, {@code UPPER}, {@code CASE}. */
    BASIC_FUNCTIONS,
    /** {@code + - * / %} (division and modulo by non-zero constants only). */
    ARITHMETIC,
    /** Date columns and {@code DATE '...'} literals. */
    DATES,
    /** {@code ABS}, {@code ROUND}. */
    MATH_FUNCTIONS,
    /** {@code LENGTH}. */
    LENGTH,
    /** {@code ||}. */
    CONCAT,
    /** {@code CAST(x AS VARCHAR | INTEGER | DECIMAL(12,2))}. */
    CAST,
    /** {@code EXTRACT(YEAR FROM date)}. */
    EXTRACT,
    /** {@code COUNT(*)}, {@code COUNT(x)}, {@code SUM}, {@code AVG}, {@code MIN}, {@code MAX}, without GROUP BY. */
    AGGREGATES,
    /** {@code COUNT(DISTINCT x)}. */
    COUNT_DISTINCT,
    /** {@code GROUP BY} on columns, expressions, positions and aliases. */
    GROUP_BY,
    /** {@code HAVING}. */
    HAVING,
    /** Uncorrelated {@code x IN (SELECT ...)}. */
    IN_SUBQUERY,
    /** Uncorrelated {@code x NOT IN (SELECT ...)}, with and without NULLs in the subquery. */
    NOT_IN_SUBQUERY,
    /** {@code [NOT] EXISTS (SELECT ...)}, uncorrelated. */
    EXISTS_SUBQUERY,
    /** {@code [NOT] EXISTS} and {@code IN} subqueries correlated by equality. */
    CORRELATED_SUBQUERY,
    /** Uncorrelated scalar subqueries in SELECT and WHERE. */
    SCALAR_SUBQUERY,
    /**
     * Aggregate scalar subqueries correlated by a key equality, in WHERE and in the select list (of a grouped query
     * on a GROUP BY column), groups that are empty and keys that are NULL included.
     */
    CORRELATED_SCALAR_SUBQUERY,
    /** A comma join whose key is repeated in every branch of an OR of ANDs in WHERE. */
    OR_JOIN_KEY,
    /** Derived tables {@code FROM (SELECT ...) AS d}, plain and aggregated. */
    DERIVED_TABLE,
    /** {@code WITH d AS (SELECT ...)} in place of a derived table. */
    WITH_CTE,
    /** {@code UNION ALL}. */
    UNION_ALL,
    /** {@code UNION}. */
    UNION
}
