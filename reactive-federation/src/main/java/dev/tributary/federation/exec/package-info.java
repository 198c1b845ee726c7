/**
 * Internal: the reactive execution operators of federated queries (hash join, filter, project, sort, top-N,
 * distinct, UNION ALL, aggregation) and the SQL value semantics they share. Public only so that the planner
 * can use them; not a supported API.
 */
@NullMarked
package dev.tributary.federation.exec;

import org.jspecify.annotations.NullMarked;
