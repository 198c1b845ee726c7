/**
 * Schema-keyed R2DBC connection pools and a reactive SQL API over them.
 *
 * <p>Start with {@link dev.tributary.core.Databases}: register each database once under a name, then
 * {@link dev.tributary.core.Databases#get(String)} returns the {@link dev.tributary.core.Database} whose
 * queries, updates and transactions run on that database's pool. Rows reach the caller as detached,
 * immutable {@link dev.tributary.core.Row} values.
 */
@NullMarked
package dev.tributary.core;

import org.jspecify.annotations.NullMarked;
