package dev.tributary.federation.exec;

import dev.tributary.core.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The rows an in-memory sort or top-N holds, each with its sort keys evaluated once (when the order is a
 * {@link RowOrder}) and its arrival number, so that equal rows keep their input order.
 */
final class SortBuffer {

    /** A row with its sort keys and arrival number. */
    private record Entry(Row row, @Nullable Object @Nullable [] keys, long seq) {
    }

    private final Comparator<Entry> order;
    private final @Nullable RowOrder rowOrder;
    private final @Nullable Reservation reservation;
    private final long capacity;
    private final List<Entry> all;
    private final @Nullable PriorityQueue<Entry> worstFirst;
    private long seq;

    /**
     * @param capacity the most rows kept (the best ones); {@code Long.MAX_VALUE} for a full sort
     * @param reservation where kept rows are counted, or {@code null} when not counted
     */
    SortBuffer(Comparator<Row> rowComparator, long capacity, @Nullable Reservation reservation) {
        this.rowOrder = rowComparator instanceof RowOrder ro ? ro : null;
        Comparator<Entry> byRow = rowOrder != null
                ? (a, b) -> rowOrder.compareKeys(keys(a), keys(b))
                : (a, b) -> rowComparator.compare(a.row(), b.row());
        this.order = byRow.thenComparingLong(Entry::seq);
        this.capacity = capacity;
        this.reservation = reservation;
        boolean bounded = capacity < Long.MAX_VALUE;
        this.all = bounded ? List.of() : new ArrayList<>();
        this.worstFirst = bounded ? new PriorityQueue<>((int) Math.min(capacity, 1024) + 1, order.reversed()) : null;
    }

    private static @Nullable Object[] keys(Entry e) {
        return Objects.requireNonNull(e.keys());
    }

    /** The number of rows held now. */
    int size() {
        return worstFirst == null ? all.size() : worstFirst.size();
    }

    void add(Row row) {
        Entry entry = new Entry(row, rowOrder == null ? null : rowOrder.keysOf(row), seq++);
        PriorityQueue<Entry> heap = worstFirst;
        if (heap == null) {
            if (reservation != null) {
                reservation.reserve(row);
            }
            all.add(entry);
            return;
        }
        if (heap.size() < capacity) {
            heap.add(entry);
        } else if (order.compare(entry, heap.peek()) < 0) {
            heap.poll();
            heap.add(entry);
        }
    }

    /** The kept rows in order, after skipping {@code offset}. */
    Iterable<Row> sorted(long offset) {
        List<Entry> entries = worstFirst == null ? all : new ArrayList<>(worstFirst);
        entries.sort(order);
        return () -> new Iterator<>() {
            private int i = (int) Math.min(offset, entries.size());

            @Override
            public boolean hasNext() {
                return i < entries.size();
            }

            @Override
            public Row next() {
                return entries.get(i++).row();
            }
        };
    }
}
