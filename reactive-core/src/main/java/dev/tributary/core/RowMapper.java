package dev.tributary.core;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Maps rows onto a type: a record's components, or the parameters of a class's single constructor, by
 * column name (case-insensitive; {@code snake_case} columns match {@code camelCase} names); or, for a type
 * with no such constructor (or a one-column result of a plain value type), the first column's value.
 * The column positions are worked out once per {@link Columns} and reused for every row of a result.
 */
final class RowMapper<T> implements Function<Row, T> {

    private final Class<T> type;
    private final @Nullable Constructor<T> constructor;
    private final String[] names;
    private final Class<?>[] parameterTypes;
    private @Nullable Columns lastColumns;
    private int @Nullable [] lastIndexes;

    private RowMapper(Class<T> type, @Nullable Constructor<T> constructor, String[] names, Class<?>[] parameterTypes) {
        this.type = type;
        this.constructor = constructor;
        this.names = names;
        this.parameterTypes = parameterTypes;
    }

    /** A mapper onto {@code type}; one per query, as it caches the column positions of the last result. */
    @SuppressWarnings("unchecked")
    static <T> RowMapper<T> of(Class<T> type) {
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            String[] names = new String[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                names[i] = components[i].getName();
            }
            return new RowMapper<>(type, accessible(constructor(type, types)), names, types);
        }
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        if (!isValueType(type) && constructors.length == 1 && constructors[0].getParameterCount() > 0
                && constructors[0].getParameters()[0].isNamePresent()) {
            Constructor<T> c = (Constructor<T>) constructors[0];
            Parameter[] params = c.getParameters();
            String[] names = new String[params.length];
            for (int i = 0; i < params.length; i++) {
                names[i] = params[i].getName();
            }
            return new RowMapper<>(type, accessible(c), names, c.getParameterTypes());
        }
        return new RowMapper<>(type, null, new String[0], new Class<?>[0]);
    }

    private static boolean isValueType(Class<?> type) {
        return type.isPrimitive() || type.getName().startsWith("java.");
    }

    private static <T> Constructor<T> constructor(Class<T> type, Class<?>[] types) {
        try {
            return type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("Record " + type.getName() + " has no canonical constructor", e);
        }
    }

    private static <T> Constructor<T> accessible(Constructor<T> c) {
        try {
            c.setAccessible(true);
        } catch (RuntimeException e) {
            // a public constructor of an exported type works without; anything else fails on use with a clear error
        }
        return c;
    }

    @Override
    public T apply(Row row) {
        if (constructor == null) {
            if (row.size() != 1) {
                throw new IllegalArgumentException("Cannot map a row of " + row.size() + " columns " + row.columns()
                        + " onto " + type.getName() + ": it is not a record or a class with one constructor"
                        + " compiled with -parameters, so the result must have exactly one column");
            }
            T value = row.get(0, type);
            if (value == null && type.isPrimitive()) {
                throw new IllegalArgumentException("NULL cannot be mapped onto " + type);
            }
            return value;
        }
        int[] indexes = indexes(row.columns());
        Object[] args = new Object[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            args[i] = row.get(indexes[i], parameterTypes[i]);
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("The constructor of " + type.getName() + " rejected " + row, e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot create " + type.getName() + " from " + row, e);
        }
    }

    private int[] indexes(Columns columns) {
        int[] cached = lastIndexes;
        if (cached != null && columns == lastColumns) {
            return cached;
        }
        int[] indexes = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            indexes[i] = find(columns, names[i]);
        }
        lastColumns = columns;
        lastIndexes = indexes;
        return indexes;
    }

    private int find(Columns columns, String name) {
        int direct = columns.indexOf(name);
        if (direct >= 0) {
            return direct;
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < columns.size(); i++) {
            if (columns.name(i).replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No column for " + type.getSimpleName() + "." + name + " among " + columns
                + " (names match case-insensitively, snake_case columns match camelCase names)");
    }
}
