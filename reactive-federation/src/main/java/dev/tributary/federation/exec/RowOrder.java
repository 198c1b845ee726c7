package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * An SQL {@code ORDER BY}: keys compared with {@link SqlValues#compare}, each ascending or descending, with NULLs
 * first or last. Sorts evaluate each row's keys once ({@link #keysOf}) and compare those.
 */
final class RowOrder implements Comparator<Row> {

    private final RowExpression[] keys;
    private final boolean[] descending;
    private final boolean[] nullsFirst;

    RowOrder(RowExpression[] keys, boolean[] descending, boolean[] nullsFirst) {
        this.keys = keys;
        this.descending = descending;
        this.nullsFirst = nullsFirst;
    }

    /** The values of the sort keys of {@code row}. */
    @Nullable Object[] keysOf(Row row) {
        Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = keys[i].evaluate(row);
        }
        return values;
    }

    /** Compares key values computed by {@link #keysOf}. */
    int compareKeys(@Nullable Object[] a, @Nullable Object[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = compareKey(i, a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public int compare(Row a, Row b) {
        for (int i = 0; i < keys.length; i++) {
            int c = compareKey(i, keys[i].evaluate(a), keys[i].evaluate(b));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private int compareKey(int i, @Nullable Object x, @Nullable Object y) {
        if (x == null || y == null) {
            if (x == y) {
                return 0;
            }
            return (x == null) == nullsFirst[i] ? -1 : 1; // NULL placement does not flip with DESC
        }
        int c = SqlValues.compare(x, y);
        return descending[i] ? -c : c;
    }
}
