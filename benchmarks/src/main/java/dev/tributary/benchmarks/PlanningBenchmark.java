package dev.tributary.benchmarks;

import dev.tributary.federation.Plan;
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
 * ({@link Queries#planning}), nothing executed, the catalog cached. Calcite's figure is {@code prepareStatement}: parse, validate,
 * optimise and generate code (its JdbcSchema reads table metadata through JDBC as part of it).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class PlanningBenchmark extends FixtureBenchmark {

    /** Output columns of the planning query: region, label, orders, revenue. */
    static final int COLUMNS = 4;

    /** Joins in the plan: four tables in four fragments (the two refdata tables are not joined to each other). */
    static final int JOINS = 3;

    /** Varies the query text per call, so that neither engine answers from a cache. */
    int literal;

    private int nextLiteral() {
        literal = literal == 999_999 ? 0 : literal + 1;
        return literal;
    }

    @Override
    void prepare() throws Exception {
        fx.federation.explain(fx.sql.planning(0)).block();
        fx.calcite().prepareStatement(fx.sql.planning(0)).close();
    }

    /** Tributary: parse, bind against the cached catalog, plan; the plan cache missed (new text each call). */
    @Benchmark
    public long tributary() {
        Plan plan = fx.federation.explain(fx.sql.planning(nextLiteral())).block();
        return Check.rows("planning.tributary (joins)", plan.joins().size(), JOINS);
    }

    /** Tributary answering from its plan cache (the same text every call): for information. */
    @Benchmark
    public long tributaryCached() {
        Plan plan = fx.federation.explain(fx.sql.planning(0)).block();
        return Check.rows("planning.tributaryCached (joins)", plan.joins().size(), JOINS);
    }

    /** Calcite: parse, validate, optimise and generate code for the same query. */
    @Benchmark
    public long calcitePrepare() throws SQLException {
        try (PreparedStatement ps = fx.calcite().prepareStatement(fx.sql.planning(nextLiteral()))) {
            return Check.rows("planning.calcitePrepare (columns)", ps.getMetaData().getColumnCount(), COLUMNS);
        }
    }
}
