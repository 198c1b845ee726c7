package dev.tributary.federation.sql;

/**
 * A query expression: a {@link SelectQuery}, a {@link SetQuery}, or (after binding) the planner's bound form
 * of either. Subquery expressions ({@link Expr.ScalarSubquery}, {@link Expr.Exists}, {@link Expr.InSubquery})
 * and derived tables hold one.
 */
public interface QueryNode {
}
