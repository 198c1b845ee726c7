package dev.tributary.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The ordered column names of a result, shared by all of its {@link Row}s so that a row carries only its
 * values. Lookup by name is case-insensitive; where two columns share a name, the first one wins.
 */
public final class Columns {

    private final String[] names;
    private final Map<String, Integer> index;

    private Columns(String[] names) {
        this.names = names;
        this.index = new HashMap<>(names.length * 2);
        for (int i = names.length - 1; i >= 0; i--) {
            index.put(names[i].toLowerCase(Locale.ROOT), i);
        }
    }

    /**
     * Columns with these names, in this order.
     *
     * @throws NullPointerException if the list or a name is null
     */
    public static Columns of(List<String> names) {
        Objects.requireNonNull(names, "names");
        String[] copy = names.toArray(new String[0]);
        for (String name : copy) {
            Objects.requireNonNull(name, "column name");
        }
        return new Columns(copy);
    }

    /** Columns with these names, in this order. */
    public static Columns of(String... names) {
        return of(Arrays.asList(names));
    }

    /** The number of columns. */
    public int size() {
        return names.length;
    }

    /** The name of the column at {@code index} (0-based). */
    public String name(int index) {
        return names[index];
    }

    /** The column names in order. */
    public List<String> names() {
        return List.of(names);
    }

    /** The 0-based position of the column with this name (case-insensitive), or -1 when there is none. */
    public int indexOf(String name) {
        Integer i = index.get(name.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Columns other && Arrays.equals(names, other.names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
