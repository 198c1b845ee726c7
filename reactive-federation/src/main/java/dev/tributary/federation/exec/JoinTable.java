package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The build side of a {@link HashJoin}: row values in arrival order, and an open-addressing index from normalized
 * key to the chain of rows with that key. Written by one thread, then read by one thread.
 *
 * <p>The layout is chosen for the probe, whose keys arrive in no useful order against a table larger than the
 * CPU caches: the values of all rows sit in one flat array ({@code values[row * width + column]}), and each
 * index slot holds its key next to its chain's first and last row, so a probe of a key with one row costs two
 * cache misses (slot, values) and no pointer chasing through row objects. While every key is a {@code Long}
 * (the common single integral key) the slots hold primitive {@code long}s, so neither building nor probing
 * boxes; the first key of any other kind switches to object keys. Rows may also be added without a key (NULL
 * keys of a preserved side): they are never found, only visited by index.
 *
 * <p>When the build side is complete, {@link #seal()} replaces the index of dense integral keys (such as the
 * ids of a table, at least half of the values between the smallest and the largest key present) by an array
 * indexed by {@code key - min}: a quarter of the hashed index's size or less, and no probing, so the lookup is
 * one load that stays in the CPU caches far longer.
 */
final class JoinTable {

    static final int END = -1;
    /** What {@link #find} returns for a key without rows; also marks an empty slot. */
    static final long MISS = -1L;

    private final int width;
    private @Nullable Object[] values;
    private int[] next = new int[16];
    private int size;
    private long @Nullable [] matched;

    private boolean longMode = true;
    /** Two longs a slot: the key (long mode), then the chain as {@link #entry(int, int)}; MISS when empty. */
    private long[] slots = emptySlots(16);
    private @Nullable Object[] objectKeys = new Object[0];
    private int keys;
    private int mask = 15;
    private long minKey = Long.MAX_VALUE;
    private long maxKey = Long.MIN_VALUE;
    /** After {@link #seal()}, for dense integral keys: the chain of key {@code directMin + i} at {@code i}. */
    private long @Nullable [] direct;
    private long directMin;

    /** A table of rows of {@code width} columns. */
    JoinTable(int width) {
        this.width = width;
        this.values = new Object[16 * width];
    }

    /** The number of rows, keyed or not. */
    int size() {
        return size;
    }

    /** The number of distinct keys. */
    int keyCount() {
        return keys;
    }

    /** The value of {@code column} in row {@code index}. */
    @Nullable Object value(int index, int column) {
        return values[index * width + column];
    }

    /** The row after {@code index} with the same key, or {@link #END}. */
    int next(int index) {
        return next[index];
    }

    /** The first row of a {@link #find} result, or {@link #END}. */
    static int head(long entry) {
        return (int) (entry >> 32);
    }

    /** The last row of a {@link #find} result (its chain ends there), or {@link #END}. */
    static int tail(long entry) {
        return (int) entry;
    }

    private static long entry(int head, int tail) {
        return ((long) head << 32) | (tail & 0xFFFF_FFFFL);
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
        for (int h = hash(key.hashCode()); ; h = (h + 1) & mask) {
            long e = slots[2 * h + 1];
            if (e == MISS) {
                objectKeys[h] = key;
                slots[2 * h + 1] = entry(index, index);
                grow();
                return;
            }
            if (key.equals(objectKeys[h])) {
                link(h, e, index);
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
        for (int h = hash(key); ; h = (h + 1) & mask) {
            long e = slots[2 * h + 1];
            if (e == MISS) {
                minKey = Math.min(minKey, key);
                maxKey = Math.max(maxKey, key);
                slots[2 * h] = key;
                slots[2 * h + 1] = entry(index, index);
                grow();
                return;
            }
            if (slots[2 * h] == key) {
                link(h, e, index);
                return;
            }
        }
    }

    private void link(int h, long e, int index) {
        next[tail(e)] = index;
        slots[2 * h + 1] = entry(head(e), index);
    }

    /** The chain of rows with this integral key (see {@link #head}, {@link #tail}), or {@link #MISS}. */
    long find(long key) {
        long[] d = direct;
        if (d != null) {
            long i = key - directMin; // a key far outside the range wraps to outside [0, length) too
            return i >= 0 && i < d.length ? d[(int) i] : MISS;
        }
        if (!longMode) {
            return find((Object) key);
        }
        long[] s = slots;
        for (int h = hash(key); ; h = (h + 1) & mask) {
            long e = s[2 * h + 1];
            if (e == MISS || s[2 * h] == key) {
                return e;
            }
        }
    }

    /** The chain of rows with this normalized key, or {@link #MISS}. */
    long find(Object key) {
        if (longMode) {
            return key instanceof Long l ? find(l.longValue()) : MISS;
        }
        for (int h = hash(key.hashCode()); ; h = (h + 1) & mask) {
            long e = slots[2 * h + 1];
            if (e == MISS || key.equals(objectKeys[h])) {
                return e;
            }
        }
    }

    /**
     * The build side is complete: switches dense integral keys to the direct index. No row may be added after.
     *
     * @return the bytes the index shrank by (0 when it stays hashed)
     */
    long seal() {
        if (!longMode || keys == 0) {
            return 0;
        }
        long range = maxKey - minKey + 1; // overflows to <= 0 for a huge range
        if (range <= 0 || range > 2L * keys) {
            return 0;
        }
        long[] d = new long[(int) range];
        Arrays.fill(d, MISS);
        for (int h = 0; h <= mask; h++) {
            long e = slots[2 * h + 1];
            if (e != MISS) {
                d[(int) (slots[2 * h] - minKey)] = e;
            }
        }
        long saved = 8L * slots.length - 8L * d.length;
        direct = d;
        directMin = minKey;
        slots = emptySlots(1);
        mask = 0;
        return saved;
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
        if (size == next.length) {
            values = Arrays.copyOf(values, size * 2 * width);
            next = Arrays.copyOf(next, size * 2);
        }
        int base = size * width;
        for (int c = 0; c < width; c++) {
            values[base + c] = row.get(c);
        }
        next[size] = END;
        return size++;
    }

    private void grow() {
        if (++keys * 2 <= mask + 1) {
            return;
        }
        long[] old = slots;
        @Nullable Object[] oldObjects = objectKeys;
        resize((mask + 1) * 2);
        for (int i = 0; i < old.length / 2; i++) {
            if (old[2 * i + 1] != MISS) {
                if (longMode) {
                    place(hash(old[2 * i]), old[2 * i], null, old[2 * i + 1]);
                } else {
                    Object key = oldObjects[i];
                    place(hash(key.hashCode()), 0, key, old[2 * i + 1]);
                }
            }
        }
    }

    private void toObjectMode() {
        long[] old = slots;
        longMode = false;
        resize(mask + 1);
        for (int i = 0; i < old.length / 2; i++) {
            if (old[2 * i + 1] != MISS) {
                Object key = old[2 * i];
                place(hash(key.hashCode()), 0, key, old[2 * i + 1]);
            }
        }
    }

    /** Puts a whole slot into the first free place from {@code h} on (while rehashing). */
    private void place(int h, long longKey, @Nullable Object key, long e) {
        while (slots[2 * h + 1] != MISS) {
            h = (h + 1) & mask;
        }
        slots[2 * h] = longKey;
        slots[2 * h + 1] = e;
        if (key != null) {
            objectKeys[h] = key;
        }
    }

    private void resize(int capacity) {
        slots = emptySlots(capacity);
        objectKeys = longMode ? new Object[0] : new Object[capacity];
        mask = capacity - 1;
    }

    private static long[] emptySlots(int capacity) {
        long[] s = new long[2 * capacity];
        Arrays.fill(s, MISS);
        return s;
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
