package dev.tributary.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark body once on a tiny data set ({@link DataSet#smoke()}), so the suite cannot rot: each
 * body checks its own row count and throws if it is wrong. JMH itself never runs here.
 */
class BenchmarkSmokeTest {

    private static final DataSet TINY = DataSet.smoke();

    private static <B extends FixtureBenchmark> B started(B benchmark) throws Exception {
        benchmark.with(TINY).setUp();
        return benchmark;
    }

    @Test
    void theDataSetPutsTwoPercentOfCustomersAndTheirOrdersInGermany() {
        DataSet standard = DataSet.standard();
        assertThat(standard.germanCustomers()).isEqualTo(2_000);
        assertThat(standard.germanOrders()).isEqualTo(20_000);
        assertThat(standard.ordersPerCustomer()).containsOnly(0, 10);
        assertThat(TINY.germanOrders()).isEqualTo(20);
    }

    @Test
    void memoryFootprintMeasuresTheHashJoinBuildSide() {
        MemoryFootprint.Result r = MemoryFootprint.measure(20_000);
        assertThat(r.hashJoin()).isPositive();
        assertThat(r.budgetEstimate()).isPositive();
        assertThat(r.naiveMap()).isPositive();
    }

    @Test
    void scanBodiesDrainEveryOrder() throws Exception {
        ScanBenchmark b = started(new ScanBenchmark());
        try {
            assertThat(b.r2dbcPool()).isEqualTo(TINY.orders());
            assertThat(b.jdbc()).isEqualTo(TINY.orders());
            assertThat(b.tributary()).isEqualTo(TINY.orders());
        } finally {
            b.tearDown();
        }
    }

    @Test
    void joinBodiesReturnOneRowPerOrder() throws Exception {
        JoinBenchmark b = started(new JoinBenchmark());
        try {
            assertThat(b.federated()).isEqualTo(TINY.orders());
            assertThat(b.inPostgres()).isEqualTo(TINY.orders());
            assertThat(b.naiveReactive()).isEqualTo(TINY.orders());
            assertThat(b.calcite()).isEqualTo(TINY.orders());
        } finally {
            b.tearDown();
        }
    }

    @Test
    void selectiveJoinBodiesReturnTheOrdersOfGermanCustomers() throws Exception {
        SelectiveJoinBenchmark b = started(new SelectiveJoinBenchmark());
        try {
            long expected = TINY.germanOrders();
            assertThat(b.dynamicFilterOn()).isEqualTo(expected);
            assertThat(b.dynamicFilterOff()).isEqualTo(expected);
            assertThat(b.inPostgres()).isEqualTo(expected);
            assertThat(b.calcite()).isEqualTo(expected);
            assertThat(b.streamAndFilter()).isEqualTo(expected);
            assertThat(b.handPushedAny()).isEqualTo(expected);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void planningBodiesPlanTheFourTableQuery() throws Exception {
        PlanningBenchmark b = started(new PlanningBenchmark());
        try {
            assertThat(b.tributary()).isEqualTo(PlanningBenchmark.JOINS);
            assertThat(b.tributaryCached()).isEqualTo(PlanningBenchmark.JOINS);
            assertThat(b.calcitePrepare()).isEqualTo(PlanningBenchmark.COLUMNS);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void insertSelectBodiesCopyTheSameOrders() throws Exception {
        InsertSelectBenchmark b = started(new InsertSelectBenchmark());
        try {
            b.emptyTarget();
            assertThat(b.federated()).isEqualTo(TINY.orders());
            b.emptyTarget();
            assertThat(b.handReadThenBatchInsert()).isEqualTo(TINY.orders());
        } finally {
            b.tearDown();
        }
    }

    @Test
    void pointLookupBodiesFindEveryCustomersOrders() throws Exception {
        PointLookupBenchmark lookups = new PointLookupBenchmark();
        lookups.lookups = 64;
        PointLookupBenchmark b = started(lookups);
        try {
            assertThat(b.expected).isPositive();
            assertThat(b.rawTwoQueries()).isEqualTo(b.expected);
            assertThat(b.handTwoQueries()).isEqualTo(b.expected);
            assertThat(b.federated()).isEqualTo(b.expected);
        } finally {
            b.tearDown();
        }
    }

    /** Needs MariaDB as well; tearDown fails if money was not conserved or anything is left prepared or logged. */
    @Test
    void transferBodiesUpdateOneAccountOnEachSideAndLeaveNothingBehind() {
        TransferBenchmark b = new TransferBenchmark();
        b.accounts = 100;
        b.setUp();
        try {
            assertThat(b.twoPhase()).isEqualTo(2);
            assertThat(b.bestEffort()).isEqualTo(2);
            assertThat(b.bestEffortUncompensated()).isEqualTo(2);
            assertThat(b.twoLocal()).isEqualTo(2);
            assertThat(b.onePostgres()).isEqualTo(2);
        } finally {
            b.tearDown();
        }
    }
}
