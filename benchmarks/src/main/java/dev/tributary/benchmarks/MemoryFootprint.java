package dev.tributary.benchmarks;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.federation.exec.HashJoin;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.exec.MemoryBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * {@code memory}: retained heap per build-side row. The build side is {@code rows} customer rows shaped as
 * the H2 driver returns them (an {@code Integer} id, fresh {@code String}s for name and country). Reference
 * points: the naive join's {@code HashMap<Integer, Object[]>} and a {@code HashMap} of Tributary {@link Row}s.
 */
final class MemoryFootprint {

    /**
     * The measured figures, bytes per build-side row; {@code budgetEstimate} is what the join counted against
     * its {@link MemoryBudget} per row ({@link MemoryBudget#estimate(Row)}).
     */
    record Result(int rows, double naiveMap, double rowMap, double hashJoin, double budgetEstimate) {
    }

    static final Columns JOINED = Columns.of(List.of("id", "name", "country", "order_id", "customer_id"));

    static final Columns CUSTOMER = Columns.of(List.of("id", "name", "country"));

    private MemoryFootprint() {
    }

    static Row customer(int id) {
        String country = DataSet.isGerman(id) ? "DE" : DataSet.OTHER[id % DataSet.OTHER.length];
        return Row.of(CUSTOMER, id, "customer " + id, new String(country.toCharArray()));
    }

    static Result measure(int rows) {
        double naive = Heap.retainedBy(() -> {
            Map<Object, Object[]> map = new HashMap<>();
            for (int i = 1; i <= rows; i++) {
                map.put(i, customer(i).values());
            }
            return map;
        }) / (double) rows;
        double rowMap = Heap.retainedBy(() -> {
            Map<Object, Row> map = new HashMap<>();
            for (int i = 1; i <= rows; i++) {
                map.put(i, customer(i));
            }
            return map;
        }) / (double) rows;
        long[] probeOpened = new long[1];
        MemoryBudget budget = MemoryBudget.unlimited();
        long[] reserved = new long[1];
        long before = Heap.usedAfterGc();
        Long joined = HashJoin.builder()
                .type(JoinType.INNER)
                .name("memory: customers x nothing")
                .left(keys -> Flux.range(1, rows).map(MemoryFootprint::customer), new int[] {0}, 3)
                .right(keys -> Flux.defer(() -> {
                    probeOpened[0] = Heap.usedAfterGc();
                    reserved[0] = budget.used();
                    return Flux.<Row>empty();
                }), new int[] {1}, 2)
                .buildSide(HashJoin.Side.LEFT)
                .dynamicFilter(1)
                .output(JOINED)
                .budget(budget)
                .build()
                .count()
                .block();
        if (joined == null || joined != 0 || probeOpened[0] == 0) {
            throw new IllegalStateException("memory: the probe side was not opened after the build side");
        }
        return new Result(rows, naive, rowMap, (probeOpened[0] - before) / (double) rows, reserved[0] / (double) rows);
    }
}
