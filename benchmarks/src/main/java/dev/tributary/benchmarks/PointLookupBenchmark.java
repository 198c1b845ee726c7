package dev.tributary.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * {@code pointLookup}: a customer (H2, by primary key) and their orders (PostgreSQL), {@value #LOOKUPS}
 * lookups per invocation with {@value #CONCURRENCY} in flight at once; the score is lookups per second.
 * The hand-written peer issues the two single-database queries one after the other, as a service would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 3) // 2 x 2 s still left throughput rising through the measured iterations
@Measurement(iterations = 4, time = 2)
public class PointLookupBenchmark extends FixtureBenchmark {

    static final int LOOKUPS = 640;
    static final int CONCURRENCY = 64;

    /** Lookups per invocation: {@link #LOOKUPS} under JMH; the smoke test lowers it before set-up. */
    int lookups = LOOKUPS;
    int[] ids;
    long expected;

    @Override
    void prepare() {
        Random random = new Random(42);
        int[] perCustomer = fx.data.ordersPerCustomer();
        ids = new int[lookups];
        for (int i = 0; i < lookups; i++) {
            ids[i] = 1 + random.nextInt(fx.data.customers());
            expected += perCustomer[ids[i]];
        }
        fx.federation.explain(fx.sql.pointLookupFederated()).block();
    }

    /** Tributary's federation: one federated query per lookup, the plan cached, the id bound. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public long federated() {
        Long n = Flux.range(0, lookups)
                .flatMap(i -> fx.federation.query(fx.sql.pointLookupFederated(), ids[i]), CONCURRENCY)
                .count()
                .block();
        return Check.rows("pointLookup.federated", n, expected);
    }

    /** The two queries by hand through Tributary's {@code Database.query}: the customer, then their orders. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public long handTwoQueries() {
        Long n = Flux.range(0, lookups)
                .flatMap(i -> fx.tributaryH2().query(fx.sql.customerById(), ids[i]).next()
                        .flatMapMany(c -> fx.tributaryPg().query(fx.sql.ordersOfCustomer(), c.get(0))
                                .map(o -> new Object[] {c.get(0), c.get(1), o.get(0), o.get(2)})), CONCURRENCY)
                .count()
                .block();
        return Check.rows("pointLookup.handTwoQueries", n, expected);
    }

    /** The two queries by hand over raw r2dbc-pool: the customer, then their orders. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public long rawTwoQueries() {
        Long n = Flux.range(0, lookups)
                .flatMap(i -> Raw.rows(fx.h2, fx.sql.customerById(), ids[i]).next()
                        .flatMapMany(c -> Raw.rows(fx.pg, fx.sql.ordersOfCustomer(), c[0])
                                .map(o -> new Object[] {c[0], c[1], o[0], o[2]})), CONCURRENCY)
                .count()
                .block();
        return Check.rows("pointLookup.rawTwoQueries", n, expected);
    }
}
