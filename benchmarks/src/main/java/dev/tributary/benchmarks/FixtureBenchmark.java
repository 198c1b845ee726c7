package dev.tributary.benchmarks;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shared shape of the data benchmarks: the data set as parameters (the suite uses the defaults, the smoke
 * test a tiny set), one {@link Fixture} per trial, one fork with a fixed heap, and single-shot timing of each
 * query (each invocation drains a whole result). Subclasses override the timing where a call is short.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8) // the first four single shots of a 1M-row query still run partly interpreted
@Measurement(iterations = 9)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public abstract class FixtureBenchmark {

    @Param("bench_")
    public String prefix;
    @Param("1000000")
    public int orders;
    @Param("100000")
    public int customers;

    Fixture fx;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fx = Fixture.open(new DataSet(prefix, orders, customers));
        prepare();
    }

    /** Set-up beyond the fixture, run once per trial. */
    void prepare() throws Exception {
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        fx.close();
    }

    /** Sets the data set without JMH (smoke test). */
    FixtureBenchmark with(DataSet d) {
        prefix = d.prefix();
        orders = d.orders();
        customers = d.customers();
        return this;
    }
}
