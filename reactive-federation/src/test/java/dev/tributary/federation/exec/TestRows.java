package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import reactor.core.publisher.Flux;

/** Small helpers to build rows and read results in tests. */
final class TestRows {

    private TestRows() {
    }

    static Row row(Columns columns, Object... values) {
        return Row.of(columns, values);
    }

    static Flux<Row> rows(Columns columns, Object[]... rows) {
        List<Row> list = new ArrayList<>();
        for (Object[] values : rows) {
            list.add(Row.of(columns, values));
        }
        return Flux.fromIterable(list);
    }

    static Object[] r(Object... values) {
        return values;
    }

    /** The values of each row, as lists (so that AssertJ compares them by value). */
    static List<List<Object>> values(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(Arrays.asList(row.values()));
        }
        return out;
    }

    static List<Object> l(Object... values) {
        return Arrays.asList(values);
    }
}
