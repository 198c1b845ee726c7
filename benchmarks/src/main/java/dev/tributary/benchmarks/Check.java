package dev.tributary.benchmarks;

/** Result checks every benchmark body makes, so that a broken query fails instead of looking fast. */
final class Check {

    private Check() {
    }

    /** Returns {@code actual} if it equals {@code expected}, otherwise throws naming the benchmark. */
    static long rows(String benchmark, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(benchmark + " returned " + actual + " rows, expected " + expected);
        }
        return actual;
    }
}
