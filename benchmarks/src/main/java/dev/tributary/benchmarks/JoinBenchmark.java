package dev.tributary.benchmarks;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@code federatedJoin}: every order (PostgreSQL) with its customer (H2), 1M result rows, beside the same
 * join inside PostgreSQL, a naive reactive join and Apache Calcite's federated join over JDBC.
 */
public class JoinBenchmark extends FixtureBenchmark {

    /** The join executed by PostgreSQL over its own copy of the customers. */
    @Benchmark
    public long inPostgres() {
        return Check.rows("federatedJoin.inPostgres", Raw.rows(fx.pg, fx.sql.joinInPostgres()).count().block(),
                fx.data.orders());
    }

    /** Collect every customer from H2 into a map, then stream the orders and look each one up. */
    @Benchmark
    public long naiveReactive() {
        Long n = Raw.rows(fx.h2, fx.sql.customers())
                .collectMap(c -> c[0])
                .flatMapMany(byId -> Raw.rows(fx.pg, fx.sql.scan()).mapNotNull(o -> joined(o, byId.get(o[1]))))
                .count()
                .block();
        return Check.rows("federatedJoin.naiveReactive", n, fx.data.orders());
    }

    static Object[] joined(Object[] order, Object[] customer) {
        return customer == null ? null : new Object[] {order[0], order[2], customer[1], customer[2]};
    }

    /** Apache Calcite: JdbcSchema per database, enumerable hash join. */
    @Benchmark
    public long calcite() throws SQLException {
        return Check.rows("federatedJoin.calcite", Calcite.drain(fx.calcite(), fx.sql.federatedJoin()),
                fx.data.orders());
    }

}
