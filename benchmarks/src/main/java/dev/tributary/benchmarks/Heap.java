package dev.tributary.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.function.Supplier;

/**
 * Retained heap of a structure: used heap after full GCs with the structure reachable, minus the same before
 * it was built. Needs an otherwise quiet JVM (the suite's runner JVM, before JMH starts its forks).
 */
final class Heap {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Heap() {
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Bytes retained by what {@code build} returns, while it is still reachable. */
    static long retainedBy(Supplier<?> build) {
        long before = usedAfterGc();
        Object built = build.get();
        long after = usedAfterGc();
        Reference.reachabilityFence(built);
        return after - before;
    }
}
