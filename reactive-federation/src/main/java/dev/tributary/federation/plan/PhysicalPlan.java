package dev.tributary.federation.plan;

import java.util.List;

/**
 * The result of planning: the bound statement and the tree that runs it. When {@code whole} is true, the
 * root is one {@link PhysicalNode.Fragment} carrying the entire statement; otherwise the root is a
 * {@link PhysicalNode.Finish}. The {@code subplans} (uncorrelated subqueries of blocks that span databases)
 * run first, in order; each binds its value to its placeholder parameter.
 */
public record PhysicalPlan(BoundQuery query, PhysicalNode root, boolean whole, List<Subplan> subplans) {

    public PhysicalPlan {
        subplans = List.copyOf(subplans);
    }

    /**
     * An uncorrelated subquery run before the main query.
     *
     * @param param the name of the placeholder parameter ({@code #subquery1}) that receives its value
     * @param exists whether the value is {@code EXISTS} (a boolean) rather than the scalar value of its one row
     * @param root its plan
     */
    public record Subplan(String param, boolean exists, PhysicalNode root) {
    }
}
