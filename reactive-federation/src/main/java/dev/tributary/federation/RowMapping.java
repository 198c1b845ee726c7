package dev.tributary.federation;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.function.Function;

/**
 * Maps federated rows onto a record (components matched to columns by name, case-insensitively, with
 * {@code snake_case} matching {@code camelCase}) or, for any other type, takes the single column's value.
 */
final class RowMapping<T> implements Function<Row, T> {

    private final Class<T> type;
    private final RecordComponent[] components;
    private Columns columns = Columns.of();
    private int[] indexes = new int[0];

    private RowMapping(Class<T> type) {
        this.type = type;
        this.components = type.isRecord() ? type.getRecordComponents() : new RecordComponent[0];
    }

    static <T> RowMapping<T> of(Class<T> type) {
        return new RowMapping<>(type);
    }

    @Override
    public T apply(Row row) {
        if (!type.isRecord()) {
            if (row.size() != 1) {
                throw new IllegalArgumentException("Cannot map a row of " + row.size() + " columns " + row.columns()
                        + " onto " + type.getName() + ": use a record, or select one column");
            }
            return row.get(0, type);
        }
        if (!row.columns().equals(columns)) {
            resolve(row.columns());
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            Object v = row.get(indexes[i], box(types[i]));
            if (v == null && types[i].isPrimitive()) {
                throw new IllegalArgumentException("Column " + row.columns().name(indexes[i]) + " is NULL but "
                        + type.getSimpleName() + "." + components[i].getName() + " is a primitive");
            }
            args[i] = v;
        }
        try {
            Constructor<T> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException("Cannot construct " + type.getName() + ": " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Constructor of " + type.getName() + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void resolve(Columns cols) {
        int[] idx = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            int found = -1;
            for (int c = 0; c < cols.size() && found < 0; c++) {
                String col = cols.name(c);
                if (col.equalsIgnoreCase(name) || col.replace("_", "").equalsIgnoreCase(name)) {
                    found = c;
                }
            }
            if (found < 0) {
                throw new IllegalArgumentException("No column for " + type.getSimpleName() + "." + name + " among "
                        + cols + " (matched case-insensitively, snake_case to camelCase)");
            }
            idx[i] = found;
        }
        this.columns = cols;
        this.indexes = idx;
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName().toLowerCase(Locale.ROOT)) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "boolean" -> Boolean.class;
            default -> Character.class;
        };
    }
}
