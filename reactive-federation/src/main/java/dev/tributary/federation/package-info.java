/**
 * Federated SQL over several databases: one query, planned into a pushed-down fragment per database and
 * combined in memory by reactive operators.
 */
@NullMarked
package dev.tributary.federation;

import org.jspecify.annotations.NullMarked;
