package dev.tributary.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/** What each benchmark measures, its result size, and the ratios of the issue with their targets. */
final class Labels {

    /**
     * A ratio of two benchmarks' medians, or with a null denominator one benchmark's median itself.
     *
     * @param target null for a figure shown for information only
     */
    record Ratio(String name, String numerator, String denominator, DoublePredicate target, String targetText,
                 String reference) {
    }

    static final List<Ratio> RATIOS = List.of(
            new Ratio("federatedJoin / scan (raw r2dbc-pool)", "JoinBenchmark.federated", "ScanBenchmark.r2dbcPool",
                    v -> v <= 1.15, "<= 1.15 (limit 1.0)", "naive join 1.72"),
            new Ratio("naive reactive join / scan", "JoinBenchmark.naiveReactive", "ScanBenchmark.r2dbcPool", null, "",
                    "1.72 (1.31 s / 0.76 s)"),
            new Ratio("join inside PostgreSQL / scan", "JoinBenchmark.inPostgres", "ScanBenchmark.r2dbcPool", null, "",
                    "0.97 (0.74 s / 0.76 s)"),
            new Ratio("Tributary scan / raw r2dbc-pool scan (wrapper overhead)", "ScanBenchmark.tributary",
                    "ScanBenchmark.r2dbcPool", null, "", "limit 1.0"),
            new Ratio("JDBC scan / R2DBC scan", "ScanBenchmark.jdbc", "ScanBenchmark.r2dbcPool", null, "",
                    "0.58 (0.44 s / 0.76 s)"),
            new Ratio("Calcite federated join / federatedJoin", "JoinBenchmark.calcite", "JoinBenchmark.federated",
                    v -> v >= 1.5, ">= 1.5", "Calcite 1.25–1.79 s"),
            new Ratio("selectiveJoin: dynamic filter off / on", "SelectiveJoinBenchmark.dynamicFilterOff",
                    "SelectiveJoinBenchmark.dynamicFilterOn", v -> v >= 10, ">= 10", "0.83 s / 0.07 s = 11.9"),
            new Ratio("selectiveJoin: Calcite / dynamic filter on", "SelectiveJoinBenchmark.calcite",
                    "SelectiveJoinBenchmark.dynamicFilterOn", v -> v >= 20, ">= 20", "1.4–1.5 s / 0.07 s = 20–21"),
            new Ratio("selectiveJoin: hand-pushed ANY($1) / dynamic filter on", "SelectiveJoinBenchmark.handPushedAny",
                    "SelectiveJoinBenchmark.dynamicFilterOn", null, "", "limit about 1.0"),
            new Ratio("planning (Tributary, median)", "PlanningBenchmark.tributary", null, v -> v < 1.0, "< 1 ms",
                    "Calcite about 220 ms"),
            new Ratio("planning: Calcite prepare / Tributary", "PlanningBenchmark.calcitePrepare",
                    "PlanningBenchmark.tributary", null, "", "about 220 ms / < 1 ms"),
            new Ratio("planning: Calcite prepare (median)", "PlanningBenchmark.calcitePrepare", null, null, "",
                    "about 220 ms (two tables)"),
            new Ratio("pointLookup: federated / hand-written two queries (throughput)", "PointLookupBenchmark.federated",
                    "PointLookupBenchmark.handTwoQueries", v -> v >= 0.70, ">= 0.70", ""),
            new Ratio("insertSelect: federated / hand-written read-then-batch-insert (time)",
                    "InsertSelectBenchmark.federated", "InsertSelectBenchmark.handReadThenBatchInsert", null, "",
                    "limit 1.0"),
            new Ratio("pointLookup: Tributary two queries / raw r2dbc-pool two queries", "PointLookupBenchmark.handTwoQueries",
                    "PointLookupBenchmark.rawTwoQueries", null, "", ""),
            new Ratio("transfer: two-phase commit / two local transactions (throughput)", "TransferBenchmark.twoPhase",
                    "TransferBenchmark.twoLocal", null, "", ""),
            new Ratio("transfer: best-effort (saga) / two local transactions (throughput)", "TransferBenchmark.bestEffort",
                    "TransferBenchmark.twoLocal", null, "", ""),
            new Ratio("transfer: best-effort without compensations / two local transactions (throughput)",
                    "TransferBenchmark.bestEffortUncompensated", "TransferBenchmark.twoLocal", null, "", ""),
            new Ratio("transfer: two local transactions / one PostgreSQL transaction (throughput)",
                    "TransferBenchmark.twoLocal", "TransferBenchmark.onePostgres", null, "", ""),
            new Ratio("transfer p50 latency: two-phase commit / two local transactions", "TransferLatencyBenchmark.twoPhase",
                    "TransferLatencyBenchmark.twoLocal", null, "", ""),
            new Ratio("transfer p50 latency: best-effort (saga) / two local transactions",
                    "TransferLatencyBenchmark.bestEffort", "TransferLatencyBenchmark.twoLocal", null, "", ""));

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("ScanBenchmark.r2dbcPool", "scan: all orders via raw r2dbc-pool"),
            Map.entry("ScanBenchmark.jdbc", "scan: all orders via JDBC (fetch size 10,000)"),
            Map.entry("ScanBenchmark.tributary", "scan: all orders via Tributary `Database.query`"),
            Map.entry("JoinBenchmark.federated", "federatedJoin: Tributary `Federation` query, PG x H2"),
            Map.entry("JoinBenchmark.inPostgres", "federatedJoin: same join inside PostgreSQL (r2dbc)"),
            Map.entry("JoinBenchmark.naiveReactive", "federatedJoin: naive reactive join (collectMap, stream orders)"),
            Map.entry("JoinBenchmark.calcite", "federatedJoin: Apache Calcite over JDBC"),
            Map.entry("SelectiveJoinBenchmark.dynamicFilterOn", "selectiveJoin: Tributary, dynamic filter on"),
            Map.entry("SelectiveJoinBenchmark.dynamicFilterOff", "selectiveJoin: Tributary, dynamic filter off"),
            Map.entry("SelectiveJoinBenchmark.inPostgres", "selectiveJoin: inside PostgreSQL"),
            Map.entry("SelectiveJoinBenchmark.calcite", "selectiveJoin: Apache Calcite over JDBC"),
            Map.entry("SelectiveJoinBenchmark.streamAndFilter", "selectiveJoin: stream all orders, filter in memory"),
            Map.entry("SelectiveJoinBenchmark.handPushedAny", "selectiveJoin: DE ids pushed by hand as ANY($1)"),
            Map.entry("PlanningBenchmark.tributary", "planning: Tributary plan, 3 databases, 4 tables, filters, GROUP BY"),
            Map.entry("PlanningBenchmark.tributaryCached", "planning: Tributary, answered from its plan cache"),
            Map.entry("PlanningBenchmark.calcitePrepare", "planning: Calcite prepareStatement, same query"),
            Map.entry("InsertSelectBenchmark.federated", "insertSelect: federated INSERT ... SELECT, PG into H2"),
            Map.entry("InsertSelectBenchmark.handReadThenBatchInsert",
                    "insertSelect: by hand, read PG then batch-insert into H2"),
            Map.entry("PointLookupBenchmark.federated", "pointLookup: federated, 64 concurrent (lookups/s)"),
            Map.entry("PointLookupBenchmark.handTwoQueries", "pointLookup: two Tributary queries by hand (lookups/s)"),
            Map.entry("PointLookupBenchmark.rawTwoQueries", "pointLookup: two raw r2dbc-pool queries (lookups/s)"),
            Map.entry("TransferBenchmark.twoPhase", "transfer PG -> MariaDB, 8 callers: two-phase commit (transfers/s)"),
            Map.entry("TransferBenchmark.bestEffort", "transfer PG -> MariaDB, 8 callers: best-effort saga with compensations (transfers/s)"),
            Map.entry("TransferBenchmark.bestEffortUncompensated", "transfer PG -> MariaDB, 8 callers: best-effort without compensations (transfers/s)"),
            Map.entry("TransferBenchmark.twoLocal", "transfer PG -> MariaDB, 8 callers: two local transactions (transfers/s)"),
            Map.entry("TransferBenchmark.onePostgres", "transfer within PostgreSQL, 8 callers: one local transaction (transfers/s)"),
            Map.entry("TransferLatencyBenchmark.twoPhase", "transfer latency: two-phase commit"),
            Map.entry("TransferLatencyBenchmark.bestEffort", "transfer latency: best-effort saga with compensations"),
            Map.entry("TransferLatencyBenchmark.bestEffortUncompensated", "transfer latency: best-effort without compensations"),
            Map.entry("TransferLatencyBenchmark.twoLocal", "transfer latency: two local transactions"),
            Map.entry("TransferLatencyBenchmark.onePostgres", "transfer latency: one local PostgreSQL transaction"));

    private Labels() {
    }

    static String label(String key) {
        return LABELS.getOrDefault(key, key);
    }

    /** Rows each operation returns, 0 where a row rate means nothing (planning, lookups). */
    static long rows(String key, DataSet d) {
        if (key.startsWith("ScanBenchmark.") || key.startsWith("JoinBenchmark.")) {
            return d.orders();
        }
        if (key.startsWith("SelectiveJoinBenchmark.")) {
            return d.germanOrders();
        }
        if (key.startsWith("InsertSelectBenchmark.")) {
            return Math.min(d.orders(), InsertSelectBenchmark.ROWS);
        }
        return 0;
    }
}
