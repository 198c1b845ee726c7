/**
 * Federated SELECT, and INSERT, UPDATE and DELETE, across the databases of a
 * {@link dev.tributary.core.Databases} registry.
 *
 * <p>Start with {@link dev.tributary.federation.Federation#over(dev.tributary.core.Databases)}: it plans a
 * query over the cached catalog of every database, pushes one SQL fragment to each database involved and
 * joins the streams in memory with a backpressured hash join. {@link dev.tributary.federation.Plan} shows
 * what will run. The sub-packages {@code sql}, {@code catalog}, {@code plan}, {@code exec} and {@code dml} are
 * internal.
 */
@NullMarked
package dev.tributary.federation;

import org.jspecify.annotations.NullMarked;
