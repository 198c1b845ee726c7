package dev.tributary.federation.sql;

/**
 * {@code left UNION [ALL] right}. A chain {@code a UNION b UNION ALL c} nests to the left. ORDER BY and LIMIT
 * over a set operation live in a {@link SelectQuery} that selects {@code *} from it.
 *
 * @param all whether {@code UNION ALL} (duplicates kept) rather than {@code UNION}
 */
public record SetQuery(boolean all, QueryNode left, QueryNode right) implements QueryNode {
}
