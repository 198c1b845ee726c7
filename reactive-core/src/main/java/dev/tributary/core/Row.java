package dev.tributary.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a result, detached from the driver: it stays valid after the query ends and may be kept,
 * shared between threads and compared. Values are the driver's Java types ({@code Integer}, {@code Long},
 * {@code BigDecimal}, {@code String}, {@code LocalDate}, ...); SQL NULL is {@code null}.
 *
 * <p>Rows are equal when their column names and values are equal.
 */
public final class Row {

    private final Columns columns;
    private final @Nullable Object[] values;

    private Row(Columns columns, @Nullable Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /**
     * A row over these columns. The array is taken as it is, not copied: the caller hands it over and must
     * not change it afterwards (varargs callers pass a fresh array anyway).
     *
     * @throws IllegalArgumentException if the number of values differs from the number of columns
     */
    public static Row of(Columns columns, @Nullable Object... values) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(values, "values");
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("A row over " + columns.size() + " columns " + columns
                    + " was given " + values.length + " values");
        }
        return new Row(columns, values);
    }

    /** The columns of this row, shared with the other rows of its result. */
    public Columns columns() {
        return columns;
    }

    /** The column names in order. */
    public List<String> columnNames() {
        return columns.names();
    }

    /** The number of values. */
    public int size() {
        return values.length;
    }

    /**
     * The value at {@code index} (0-based), or {@code null} for SQL NULL.
     *
     * @throws IndexOutOfBoundsException if there is no such column
     */
    public @Nullable Object get(int index) {
        Objects.checkIndex(index, values.length);
        return values[index];
    }

    /**
     * The value of the column with this name (case-insensitive), or {@code null} for SQL NULL.
     *
     * @throws IllegalArgumentException if there is no such column; the message lists the columns
     */
    public @Nullable Object get(String column) {
        return values[indexOf(column)];
    }

    /**
     * The value of the column as {@code type}. Numbers convert between the numeric types when no precision
     * is lost ({@code Integer} to {@code Long}, {@code BigDecimal 5.0} to {@code Integer 5}); anything else
     * must already be of the type.
     *
     * @throws IllegalArgumentException if there is no such column, or the value cannot be had as {@code type}
     */
    public <T> @Nullable T get(String column, Class<T> type) {
        return Values.convert(values[indexOf(column)], type, column);
    }

    /**
     * The value at {@code index} as {@code type}; see {@link #get(String, Class)}.
     *
     * @throws IndexOutOfBoundsException if there is no such column
     * @throws IllegalArgumentException if the value cannot be had as {@code type}
     */
    public <T> @Nullable T get(int index, Class<T> type) {
        return Values.convert(get(index), type, columns.name(index));
    }

    /** A copy of the values in column order. */
    public @Nullable Object[] values() {
        return values.clone();
    }

    private int indexOf(String column) {
        int i = columns.indexOf(Objects.requireNonNull(column, "column"));
        if (i < 0) {
            throw new IllegalArgumentException("No column '" + column + "' in row with columns " + columns);
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row other && columns.equals(other.columns) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(columns.name(i)).append('=');
            Object v = values[i];
            sb.append(v instanceof CharSequence ? "'" + v + "'" : String.valueOf(v));
        }
        return sb.append('}').toString();
    }
}
