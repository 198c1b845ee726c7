package dev.tributary.benchmarks;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code planning}: the time to plan a join of four tables in three databases with filters and an aggregate
 * ({@link Queries#planning()}), nothing executed. Calcite's figure is {@code prepareStatement}: parse, validate,
 * optimise and generate code (its JdbcSchema reads table metadata through JDBC as part of it).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlanningBenchmark extends FixtureBenchmark {

    /** Output columns of the planning query: region, label, orders, revenue. */
    static final int COLUMNS = 4;

    @Benchmark
    public long calcitePrepare() throws SQLException {
        try (PreparedStatement ps = fx.calcite().prepareStatement(fx.sql.planning())) {
            return Check.rows("planning.calcitePrepare (columns)", ps.getMetaData().getColumnCount(), COLUMNS);
        }
    }
}
