package dev.tributary.benchmarks;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@code selectiveJoin}: the orders of customers in DE (2 % of customers), across PostgreSQL and H2. Beside
 * Tributary with and without dynamic filtering: the same inside PostgreSQL, in Calcite, streaming all orders
 * and filtering in memory, and pushing the DE customer ids by hand as {@code customer_id = ANY($1)}.
 */
public class SelectiveJoinBenchmark extends FixtureBenchmark {

    int expected;

    @Override
    void prepare() {
        expected = fx.data.germanOrders();
    }

    @Benchmark
    public long inPostgres() {
        return Check.rows("selectiveJoin.inPostgres", Raw.rows(fx.pg, fx.sql.selectiveInPostgres()).count().block(),
                expected);
    }

    @Benchmark
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
