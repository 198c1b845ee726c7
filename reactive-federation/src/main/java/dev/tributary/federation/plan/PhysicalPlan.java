package dev.tributary.federation.plan;

/**
 * The result of planning: the bound query and the tree that runs it. When {@code whole} is true, the root
 * is one {@link PhysicalNode.Fragment} carrying the entire query (DISTINCT, ORDER BY, LIMIT included);
 * otherwise ORDER BY, LIMIT, the select list and DISTINCT run in memory above the root.
 */
public record PhysicalPlan(BoundQuery query, PhysicalNode root, boolean whole) {
}
