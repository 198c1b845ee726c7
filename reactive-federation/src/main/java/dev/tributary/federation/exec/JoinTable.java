package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The build side of a {@link HashJoin}: rows in arrival order, and an open-addressing index from normalized
 * key to the chain of rows with that key. While every key is a {@code Long} (the common single integral key)
 * the index holds primitive {@code long}s, so neither building nor probing boxes; the first key of any other
 * kind switches it to object keys. Rows may also be added without a key (NULL keys of a preserved side):
 * they are never found, only visited by {@link #row(int)}. Written by one thread, then read by one thread.
 */
final class JoinTable {

    static final int END = -1;

    private Row[] rows = new Row[16];
    private int[] next = new int[16];
    private int size;
    private long @Nullable [] matched;

    private boolean longMode = true;
    private long[] longKeys = new long[16];
    private @Nullable Object[] objectKeys = new Object[0];
    private int[] heads = new int[16];
    private int[] tails = new int[16];
    private int keys;
    private int mask = 15;

    JoinTable() {
        Arrays.fill(heads, END);
    }

    /** The number of rows, keyed or not. */
    int size() {
        return size;
    }

    /** The number of distinct keys. */
    int keyCount() {
        return keys;
    }

    Row row(int index) {
        return rows[index];
    }

    /** The row after {@code index} with the same key, or {@link #END}. */
    int next(int index) {
        return next[index];
    }

    /** Adds a row that no probe can find (its key has a NULL part). */
    void addUnkeyed(Row row) {
        append(row);
    }

    /** Adds a row under a key already normalized by {@link SqlValues#keyOf}. */
    void add(Row row, Object key) {
        if (longMode && key instanceof Long l) {
            add(row, l.longValue());
            return;
        }
        if (longMode) {
            toObjectMode();
        }
        int index = append(row);
        int h = hash(key.hashCode());
        for (;; h = (h + 1) & mask) {
            int head = heads[h];
            if (head == END) {
                objectKeys[h] = key;
                heads[h] = index;
                tails[h] = index;
                grow();
                return;
            }
            if (key.equals(objectKeys[h])) {
                next[tails[h]] = index;
                tails[h] = index;
                return;
            }
        }
    }

    /** Adds a row under an integral key. */
    void add(Row row, long key) {
        if (!longMode) {
            add(row, (Object) key);
            return;
        }
        int index = append(row);
        int h = hash(key);
        for (;; h = (h + 1) & mask) {
            int head = heads[h];
            if (head == END) {
                longKeys[h] = key;
                heads[h] = index;
                tails[h] = index;
                grow();
                return;
            }
            if (longKeys[h] == key) {
                next[tails[h]] = index;
                tails[h] = index;
                return;
            }
        }
    }

    /** The first row with this integral key, or {@link #END}. */
    int find(long key) {
        if (!longMode) {
            return find((Object) key);
        }
        for (int h = hash(key); ; h = (h + 1) & mask) {
            int head = heads[h];
            if (head == END || longKeys[h] == key) {
                return head;
            }
        }
    }

    /** The first row with this normalized key, or {@link #END}. */
    int find(Object key) {
        if (longMode) {
            return key instanceof Long l ? find(l.longValue()) : END;
        }
        for (int h = hash(key.hashCode()); ; h = (h + 1) & mask) {
            int head = heads[h];
            if (head == END || key.equals(objectKeys[h])) {
                return head;
            }
        }
    }

    /** Marks the row at {@code index} as matched by some probe row. */
    void mark(int index) {
        long[] m = matched;
        if (m == null) {
            m = new long[(size + 63) >>> 6];
            matched = m;
        }
        m[index >>> 6] |= 1L << index;
    }

    boolean isMarked(int index) {
        long[] m = matched;
        return m != null && (m[index >>> 6] & (1L << index)) != 0;
    }

    private int append(Row row) {
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, size * 2);
            next = Arrays.copyOf(next, size * 2);
        }
        rows[size] = row;
        next[size] = END;
        return size++;
    }

    private void grow() {
        if (++keys * 2 <= heads.length) {
            return;
        }
        long[] oldLongs = longKeys;
        Object[] oldObjects = objectKeys;
        int[] oldHeads = heads;
        int[] oldTails = tails;
        int capacity = oldHeads.length * 2;
        resize(capacity);
        for (int i = 0; i < oldHeads.length; i++) {
            if (oldHeads[i] != END) {
                int h = longMode ? hash(oldLongs[i]) : hash(oldObjects[i].hashCode());
                while (heads[h] != END) {
                    h = (h + 1) & mask;
                }
                heads[h] = oldHeads[i];
                tails[h] = oldTails[i];
                if (longMode) {
                    longKeys[h] = oldLongs[i];
                } else {
                    objectKeys[h] = oldObjects[i];
                }
            }
        }
    }

    private void toObjectMode() {
        long[] oldLongs = longKeys;
        int[] oldHeads = heads;
        int[] oldTails = tails;
        longMode = false;
        resize(oldHeads.length);
        longKeys = new long[0];
        for (int i = 0; i < oldHeads.length; i++) {
            if (oldHeads[i] != END) {
                Object key = oldLongs[i];
                int h = hash(key.hashCode());
                while (heads[h] != END) {
                    h = (h + 1) & mask;
                }
                heads[h] = oldHeads[i];
                tails[h] = oldTails[i];
                objectKeys[h] = key;
            }
        }
    }

    private void resize(int capacity) {
        heads = new int[capacity];
        Arrays.fill(heads, END);
        tails = new int[capacity];
        if (longMode) {
            longKeys = new long[capacity];
        }
        objectKeys = longMode ? new Object[0] : new Object[capacity];
        mask = capacity - 1;
    }

    private int hash(long key) {
        long x = key * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 32)) & mask;
    }

    private int hash(int h) {
        int x = h * 0x9E3779B9;
        return (x ^ (x >>> 16)) & mask;
    }
}
