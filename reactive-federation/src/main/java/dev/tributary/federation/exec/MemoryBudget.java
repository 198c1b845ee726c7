package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import dev.tributary.federation.MemoryBudgetExceededException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Internal: the memory budget of one query execution, shared by all of its operators and thread-safe. Operators
 * that hold rows (a join's build side, hash aggregation, DISTINCT, a full sort) {@link #reserve} the bytes they
 * keep, and {@link #release} them when they let go; a reservation past the limit fails with
 * {@link MemoryBudgetExceededException} instead of growing until an {@link OutOfMemoryError}.
 */
public final class MemoryBudget {

    private static final int OBJECT = 16;
    private static final int REF = 8;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    private MemoryBudget(long limit) {
        this.limit = limit;
    }

    /**
     * A budget of {@code bytes}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static MemoryBudget of(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memoryBudget must be positive, was " + bytes);
        }
        return new MemoryBudget(bytes);
    }

    /** A budget without limit (bytes are still counted). */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /**
     * Reserves {@code bytes} for {@code operator}.
     *
     * @param operator the operator as {@code explain} names it, quoted by the error
     * @throws MemoryBudgetExceededException if the budget would be exceeded; nothing is reserved then
     */
    public void reserve(long bytes, String operator) {
        long now = used.addAndGet(bytes);
        if (now > limit || now < 0) {
            used.addAndGet(-bytes);
            throw new MemoryBudgetExceededException(operator, limit, now < 0 ? Long.MAX_VALUE : now);
        }
    }

    /** Returns {@code bytes} reserved earlier. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The bytes reserved now. */
    public long used() {
        return used.get();
    }

    /** The limit in bytes ({@link Long#MAX_VALUE} when unlimited). */
    public long limit() {
        return limit;
    }

    /** The approximate number of bytes {@code row} retains (the row, its value array and its values). */
    public static long estimate(Row row) {
        return OBJECT + REF + OBJECT + estimateValues(row); // Row, its array header, slots and values
    }

    /** The approximate number of bytes the values of {@code row} retain, with a reference slot each. */
    static long estimateValues(Row row) {
        int n = row.size();
        long bytes = (long) REF * n;
        for (int i = 0; i < n; i++) {
            bytes += estimate(row.get(i));
        }
        return bytes;
    }

    /** The approximate number of bytes {@code value} retains. */
    public static long estimate(@Nullable Object value) {
        if (value == null || value instanceof Boolean) {
            return 0;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof Float
                || value instanceof Character) {
            return OBJECT;
        }
        if (value instanceof Long || value instanceof Double) {
            return OBJECT + 8;
        }
        if (value instanceof String s) {
            return OBJECT + REF + OBJECT + s.length(); // String, its byte[] (Latin-1 compact strings)
        }
        if (value instanceof BigDecimal d) {
            return OBJECT + 24 + (d.precision() > 18 ? OBJECT + 24 + d.unscaledValue().bitLength() / 8 : 0);
        }
        if (value instanceof BigInteger b) {
            return OBJECT + 24 + OBJECT + b.bitLength() / 8;
        }
        if (value instanceof byte[] b) {
            return OBJECT + b.length;
        }
        return OBJECT + 32; // dates, times, UUIDs and other small value objects
    }
}
