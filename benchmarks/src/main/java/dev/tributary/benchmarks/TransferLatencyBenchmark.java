package dev.tributary.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The bodies of {@link TransferBenchmark}, same callers and accounts, with the time of each transfer sampled: the
 * percentiles (p50, p99) of one transfer's latency while {@value TransferBenchmark#CALLERS} callers run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TransferLatencyBenchmark extends TransferBenchmark {
}
