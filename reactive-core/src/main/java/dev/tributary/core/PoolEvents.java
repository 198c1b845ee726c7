package dev.tributary.core;

import reactor.pool.PoolMetricsRecorder;

/**
 * The pool's own record of its connections, turned into {@link TributaryListener#connectionCreated} (a connection
 * allocated) and {@link TributaryListener#connectionClosed} (one destroyed: idle or too old, invalidated, or the pool
 * disposed). Set on a pool only when the registry has listeners.
 */
record PoolEvents(Listeners listeners, String database) implements PoolMetricsRecorder {

    @Override
    public void recordAllocationSuccessAndLatency(long latencyMs) {
        listeners.connectionCreated(database);
    }

    @Override
    public void recordDestroyLatency(long latencyMs) {
        listeners.connectionClosed(database);
    }

    @Override
    public void recordAllocationFailureAndLatency(long latencyMs) {
    }

    @Override
    public void recordResetLatency(long latencyMs) {
    }

    @Override
    public void recordRecycled() {
    }

    @Override
    public void recordLifetimeDuration(long millisecondsSinceAllocation) {
    }

    @Override
    public void recordIdleTime(long millisecondsIdle) {
    }

    @Override
    public void recordSlowPath() {
    }

    @Override
    public void recordFastPath() {
    }
}
