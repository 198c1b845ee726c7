package dev.tributary.core;

/**
 * A snapshot of one database's connection pool.
 *
 * @param allocated connections the pool holds now, idle or in use
 * @param acquired connections handed out and not yet returned
 * @param idle connections waiting in the pool
 * @param pending callers waiting for a connection
 * @param maxAllocated the most connections the pool may hold
 * @param maxPending the most callers that may wait ({@code Integer.MAX_VALUE} when unbounded)
 */
public record PoolMetrics(int allocated, int acquired, int idle, int pending, int maxAllocated, int maxPending) {

    /** Share of the pool in use, {@code acquired / maxAllocated}, between 0 and 1. */
    public double utilization() {
        return maxAllocated == 0 ? 0 : (double) acquired / maxAllocated;
    }
}
