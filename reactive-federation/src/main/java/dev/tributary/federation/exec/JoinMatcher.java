package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The join semantics of one {@link HashJoin} subscription, run by the {@link JoinCoordinator}'s drain loop
 * only (one thread at a time) once the {@link JoinTable} is complete: takes probe rows from the probe input's
 * queue, walks each row's chain of matches one output row at a time (so that many matches spread over many
 * requests), applies the residual condition, the outer-join padding and the SEMI/ANTI/NOT_IN rules, and
 * finally yields the build rows to emit at the end.
 */
final class JoinMatcher {

    private final HashJoin.Spec spec;
    private final JoinTable table;
    private final boolean singleKey;
    private final JoinType type;
    private final boolean buildPadded;
    private final boolean probePreserved;
    private final boolean marksOnly;

    private @Nullable Row probeRow;
    private int chain = JoinTable.END;
    private boolean probeMatched;
    private boolean probeFinished;
    private boolean probeSawRow;
    private boolean probeSawNullKey;
    private int endCursor;
    private @Nullable Columns pairColumns;
    private @Nullable Columns sameAsOutput;

    JoinMatcher(HashJoin.Spec spec, JoinTable table) {
        this.spec = spec;
        this.table = table;
        this.singleKey = spec.buildKeys().length == 1;
        this.type = spec.type();
        this.buildPadded = spec.buildPadded();
        this.probePreserved = spec.probePreserved();
        this.marksOnly = spec.marksOnly();
        this.pairColumns = type.leftOnly() ? null : spec.output();
    }

    /** Drops the current probe row (on teardown). */
    void clear() {
        probeRow = null;
    }

    /** The next output row, or {@code null} when more probe input is needed or nothing is left. */
    @Nullable Row next(FluxHashJoin.ProbeInput input) {
        for (;;) {
            Row p = probeRow;
            if (p != null) {
                Row out = advance(p);
                if (out != null) {
                    return out;
                }
                continue;
            }
            if (!probeFinished) {
                boolean done = input.done;
                Row q = input.queue.poll();
                if (q == null) {
                    if (!done) {
                        return null;
                    }
                    probeFinished = true;
                    continue;
                }
                input.consumed();
                Row out = startProbeRow(q, input);
                if (out != null) {
                    return out;
                }
                continue;
            }
            endCursor = nextEndRow(endCursor);
            if (endCursor >= table.size()) {
                return null;
            }
            Row b = table.row(endCursor++);
            return buildPadded ? pad(b, !spec.probeIsLeft()) : leftOut(b);
        }
    }

    /** Whether nothing is left to emit, without taking anything from the probe queue. */
    boolean isExhausted(FluxHashJoin.ProbeInput input) {
        if (probeRow != null) {
            if (chain != JoinTable.END || (!probeMatched && probePreserved)) {
                return false; // more matches, or the unmatched row itself, to emit
            }
            probeRow = null;
        }
        if (!probeFinished) {
            if (!input.done || !input.queue.isEmpty()) {
                return false;
            }
            probeFinished = true;
        }
        endCursor = nextEndRow(endCursor);
        return endCursor >= table.size();
    }

    /** Looks a probe row up; returns an output row when the row is settled at once. */
    private @Nullable Row startProbeRow(Row q, FluxHashJoin.ProbeInput input) {
        int head = lookUp(q);
        probeSawRow = true;
        if (marksOnly && head != JoinTable.END && spec.residual() == null && table.isMarked(head)) {
            return null; // without a residual condition a chain is marked whole: nothing new to learn
        }
        if (head == JoinTable.END && marksOnly) {
            if (type == JoinType.NOT_IN && hasNullKey(q, spec.probeKeys())) {
                probeSawNullKey = true; // x NOT IN (..., NULL, ...) is never true: stop reading
                probeFinished = true;
                endCursor = table.size();
                input.cancel();
            }
            return null;
        }
        if (head == JoinTable.END && type == JoinType.NOT_IN
                && table.size() > 0 && hasNullKey(q, spec.probeKeys())) {
            return null; // NULL NOT IN (non-empty) is unknown
        }
        probeRow = q;
        chain = head;
        probeMatched = false;
        return advance(q);
    }

    /** Walks the current probe row's chain; returns the next output row, or null once the row is done. */
    private @Nullable Row advance(Row p) {
        RowPredicate residual = spec.residual();
        while (chain != JoinTable.END) {
            int i = chain;
            chain = table.next(i);
            Row b = table.row(i);
            Row pair = null;
            if (residual != null) {
                pair = pair(p, b);
                if (!residual.isTrue(pair)) {
                    continue;
                }
            }
            probeMatched = true;
            if (marksOnly || buildPadded) {
                table.mark(i);
            }
            if (marksOnly) {
                continue;
            }
            if (type == JoinType.SEMI) {
                probeRow = null;
                return leftOut(p);
            }
            if (type == JoinType.ANTI || type == JoinType.NOT_IN) {
                probeRow = null;
                return null;
            }
            return pair != null && pairColumns == spec.output() ? pair : pair(p, b);
        }
        probeRow = null;
        if (probeMatched || !probePreserved) {
            return null;
        }
        return type.leftOnly() ? leftOut(p) : pad(p, spec.probeIsLeft());
    }

    private int lookUp(Row q) {
        int[] keys = spec.probeKeys();
        if (singleKey) {
            Object v = q.get(keys[0]);
            if (v == null) {
                return JoinTable.END;
            }
            if (SqlValues.isIntegral(v)) {
                return table.find(((Number) v).longValue());
            }
            return table.find(Objects.requireNonNull(SqlValues.keyOf(v)));
        }
        Object key = JoinKeys.composite(q, keys);
        return key == null ? JoinTable.END : table.find(key);
    }

    /** The first index at or after {@code from} of a build row to emit at the end, or the table size. */
    private int nextEndRow(int from) {
        int size = table.size();
        if (buildPadded) {
            while (from < size && table.isMarked(from)) {
                from++;
            }
            return from;
        }
        if (!marksOnly || probeSawNullKey) {
            return size;
        }
        for (; from < size; from++) {
            boolean marked = table.isMarked(from);
            if (type == JoinType.SEMI ? marked
                    : !marked && (type == JoinType.ANTI || !probeSawRow
                            || !hasNullKey(table.row(from), spec.buildKeys()))) {
                return from;
            }
        }
        return size;
    }

    private static boolean hasNullKey(Row row, int[] keys) {
        for (int k : keys) {
            if (row.get(k) == null) {
                return true;
            }
        }
        return false;
    }

    /** The combined row of a probe row and a build row: left values, then right values. */
    private Row pair(Row probeSide, Row buildSide) {
        Row l = spec.probeIsLeft() ? probeSide : buildSide;
        Row r = spec.probeIsLeft() ? buildSide : probeSide;
        int lw = spec.leftWidth();
        int rw = spec.rightWidth();
        Object[] values = new Object[lw + rw];
        for (int i = 0; i < lw; i++) {
            values[i] = l.get(i);
        }
        for (int i = 0; i < rw; i++) {
            values[lw + i] = r.get(i);
        }
        Columns columns = pairColumns;
        if (columns == null) {
            List<String> names = new ArrayList<>(l.columnNames());
            names.addAll(r.columnNames());
            columns = Columns.of(names);
            pairColumns = columns;
        }
        return Row.of(columns, values);
    }

    /** A row of one side with the other side's columns NULL. */
    private Row pad(Row row, boolean rowIsLeft) {
        int lw = spec.leftWidth();
        Object[] values = new Object[lw + spec.rightWidth()];
        int offset = rowIsLeft ? 0 : lw;
        int width = rowIsLeft ? lw : spec.rightWidth();
        for (int i = 0; i < width; i++) {
            values[offset + i] = row.get(i);
        }
        return Row.of(spec.output(), values);
    }

    /** A left row over the output columns (as it is when its columns already are those). */
    private Row leftOut(Row row) {
        Columns columns = row.columns();
        if (columns == sameAsOutput) {
            return row;
        }
        if (columns.equals(spec.output())) {
            sameAsOutput = columns;
            return row;
        }
        Object[] values = new Object[spec.leftWidth()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return Row.of(spec.output(), values);
    }
}
