package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** A composite join or group key: the normalized values of several columns, hashed once. */
final class JoinKeys {

    /** The key of a single NULL group value (NULLs group together, though they never join). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "NULL";
        }
    };

    private final @Nullable Object[] parts;
    private final int hash;

    private JoinKeys(@Nullable Object[] parts) {
        this.parts = parts;
        this.hash = Arrays.hashCode(parts);
    }

    /** The normalized key of these columns of {@code row}, or {@code null} when any of them is NULL. */
    static @Nullable Object composite(Row row, int[] columns) {
        Object[] parts = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            Object k = SqlValues.keyOf(row.get(columns[i]));
            if (k == null) {
                return null;
            }
            parts[i] = k;
        }
        return new JoinKeys(parts);
    }

    /** The normalized key of a group of values, NULLs included (GROUP BY, DISTINCT) (the array is not kept). */
    static Object group(@Nullable Object[] values) {
        @Nullable Object[] parts = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            parts[i] = SqlValues.keyOf(values[i]);
        }
        return new JoinKeys(parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinKeys other && hash == other.hash && Arrays.equals(parts, other.parts);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(parts);
    }
}
