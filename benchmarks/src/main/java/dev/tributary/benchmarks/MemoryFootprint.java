package dev.tributary.benchmarks;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code memory}: retained heap per build-side row. The build side is {@code rows} customer rows shaped as
 * the H2 driver returns them (an {@code Integer} id, fresh {@code String}s for name and country). Reference
 * points: the naive join's {@code HashMap<Integer, Object[]>} and a {@code HashMap} of Tributary {@link Row}s.
 */
final class MemoryFootprint {

    /** The measured figures, bytes per build-side row; {@code hashJoin} is null where not measured, with why. */
    record Result(int rows, double naiveMap, double rowMap, Double hashJoin, String note) {
    }

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
        return new Result(rows, naive, rowMap, null, "the hash join (exec package) is not on main yet");
    }
}
