package dev.tributary.benchmarks;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code selectiveJoin}: the orders of customers in DE (2 % of customers), across PostgreSQL and H2. Beside
 * Tributary with and without dynamic filtering: the same inside PostgreSQL, in Calcite, streaming all orders
 * and filtering in memory, and pushing the DE customer ids by hand as {@code customer_id = ANY($1)}. The
 * short ones (about 0.1 s) are sampled over timed iterations rather than timed one shot each.
 */
public class SelectiveJoinBenchmark extends FixtureBenchmark {

    int expected;

    @Override
    void prepare() {
        expected = fx.data.germanOrders();
        fx.federation.explain(fx.sql.selectiveFederated()).block();
        fx.federationWithoutDynamicFilter.explain(fx.sql.selectiveFederated()).block();
    }

    /** Tributary with dynamic filtering: the DE customer ids are pushed into the orders fragment. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 4, time = 2)
    public long dynamicFilterOn() {
        return Check.rows("selectiveJoin.dynamicFilterOn",
                fx.federation.query(fx.sql.selectiveFederated()).count().block(), expected);
    }

    /** Tributary without dynamic filtering: every order streams through the hash join. */
    @Benchmark
    public long dynamicFilterOff() {
        return Check.rows("selectiveJoin.dynamicFilterOff",
                fx.federationWithoutDynamicFilter.query(fx.sql.selectiveFederated()).count().block(), expected);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 4, time = 2)
    public long inPostgres() {
        return Check.rows("selectiveJoin.inPostgres", Raw.rows(fx.pg, fx.sql.selectiveInPostgres()).count().block(),
                expected);
    }

    @Benchmark
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long calcite() throws SQLException {
        return Check.rows("selectiveJoin.calcite", Calcite.drain(fx.calcite(), fx.sql.selectiveFederated()), expected);
    }

    /** The DE customers into a map, then every order streamed and filtered against it. */
    @Benchmark
    public long streamAndFilter() {
        Long n = Raw.rows(fx.h2, fx.sql.germanCustomers())
                .collectMap(c -> c[0])
                .flatMapMany(byId -> Raw.rows(fx.pg, fx.sql.scan())
                        .mapNotNull(o -> JoinBenchmark.joined(o, byId.get(o[1]))))
                .count()
                .block();
        return Check.rows("selectiveJoin.streamAndFilter", n, expected);
    }

    /** The DE customers into a map, then only their orders, by {@code customer_id = ANY($1)}. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 4, time = 2)
    public long handPushedAny() {
        Long n = Raw.rows(fx.h2, fx.sql.germanCustomers())
                .collectMap(c -> c[0])
                .flatMapMany(byId -> Raw.rows(fx.pg, fx.sql.ordersOfAny(), (Object) byId.keySet().toArray(new Integer[0]))
                        .mapNotNull(o -> JoinBenchmark.joined(o, byId.get(o[1]))))
                .count()
                .block();
        return Check.rows("selectiveJoin.handPushedAny", n, expected);
    }
}
