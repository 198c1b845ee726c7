package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The join semantics of one {@link HashJoin} subscription, run by the {@link JoinCoordinator}'s drain loop
 * only (one thread at a time) once the {@link JoinTable} is complete: takes probe rows from the probe input's
 * queue, walks each row's chain of matches one output row at a time (so that many matches spread over many
 * requests), applies the residual condition, the outer-join padding and the SEMI/ANTI/NOT_IN rules, and
 * finally yields the build rows to emit at the end. Output rows are built once, straight in the join's
 * {@link HashJoin.Builder#project projected} layout, from the probe row and the table's flat values.
 */
final class JoinMatcher {

    private final HashJoin.Spec spec;
    private final JoinTable table;
    private final boolean singleKey;
    private final JoinType type;
    private final boolean buildPadded;
    private final boolean probePreserved;
    private final boolean marksOnly;

    private final Layout emitted;
    private @Nullable Layout combined;

    private @Nullable Row probeRow;
    private @Nullable Row direct;
    private int chain = JoinTable.END;
    private int chainTail = JoinTable.END;
    private boolean probeMatched;
    private boolean probeFinished;
    private boolean probeSawRow;
    private boolean probeSawNullKey;
    private int endCursor;
    private @Nullable Columns sameAsOutput;

    JoinMatcher(HashJoin.Spec spec, JoinTable table) {
        this.spec = spec;
        this.table = table;
        this.singleKey = spec.buildKeys().length == 1;
        this.type = spec.type();
        this.buildPadded = spec.buildPadded();
        this.probePreserved = spec.probePreserved();
        this.marksOnly = spec.marksOnly();
        this.emitted = new Layout(spec, spec.project(), spec.output());
    }

    /**
     * Hands over a probe row that arrived after every queued one, bypassing the queue; false when a row handed
     * over earlier still waits (for demand), and this one must queue behind it.
     */
    boolean offerDirect(Row row) {
        if (direct != null) {
            return false;
        }
        direct = row;
        return true;
    }

    /** Drops the current probe row (on teardown); returns the handed-over row not yet taken, to discard. */
    @Nullable Row clear() {
        probeRow = null;
        Row d = direct;
        direct = null;
        return d;
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
                Row q = direct;
                if (q != null) {
                    direct = null;
                } else {
                    q = input.queue.poll();
                }
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
            return emitted.row(null, table, endCursor++);
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
            if (!input.done || direct != null || !input.queue.isEmpty()) {
                return false;
            }
            probeFinished = true;
        }
        endCursor = nextEndRow(endCursor);
        return endCursor >= table.size();
    }

    /** Looks a probe row up; returns an output row when the row is settled at once. */
    private @Nullable Row startProbeRow(Row q, FluxHashJoin.ProbeInput input) {
        long found = lookUp(q);
        int head = JoinTable.head(found);
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
        chainTail = JoinTable.tail(found);
        probeMatched = false;
        return advance(q);
    }

    /** Walks the current probe row's chain; returns the next output row, or null once the row is done. */
    private @Nullable Row advance(Row p) {
        RowPredicate residual = spec.residual();
        while (chain != JoinTable.END) {
            int i = chain;
            chain = i == chainTail ? JoinTable.END : table.next(i); // a chain of one never reads next[]
            Row pair = null;
            if (residual != null) {
                pair = combined().row(p, table, i);
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
            return pair != null && spec.identity() ? pair : emitted.row(p, table, i);
        }
        probeRow = null;
        if (probeMatched || !probePreserved) {
            return null;
        }
        return type.leftOnly() ? leftOut(p) : emitted.row(p, table, JoinTable.END);
    }

    private long lookUp(Row q) {
        int[] keys = spec.probeKeys();
        if (singleKey) {
            Object v = q.get(keys[0]);
            if (v == null) {
                return JoinTable.MISS;
            }
            if (SqlValues.isIntegral(v)) {
                return table.find(((Number) v).longValue());
            }
            return table.find(Objects.requireNonNull(SqlValues.keyOf(v)));
        }
        Object key = JoinKeys.composite(q, keys);
        return key == null ? JoinTable.MISS : table.find(key);
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
                    : !marked && (type == JoinType.ANTI || !probeSawRow || !hasNullBuildKey(from))) {
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

    private boolean hasNullBuildKey(int index) {
        for (int k : spec.buildKeys()) {
            if (table.value(index, k) == null) {
                return true;
            }
        }
        return false;
    }

    /** The layout the residual condition reads: all left values, then all right values. */
    private Layout combined() {
        Layout c = combined;
        if (c == null) {
            int[] all = new int[spec.layout().size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            c = new Layout(spec, all, spec.layout());
            combined = c;
        }
        return c;
    }

    /** A probe row that is a left row, as an output row (itself, when its columns already are those). */
    private Row leftOut(Row row) {
        Columns columns = row.columns();
        if (columns == sameAsOutput) {
            return row;
        }
        if (spec.identity() && columns.equals(spec.output())) {
            sameAsOutput = columns;
            return row;
        }
        return emitted.row(row, table, JoinTable.END);
    }

    /**
     * Where each column of a row laid out as {@code columns} comes from: a column of the probe row, or of the
     * build row in the table; a side that is absent (outer-join padding) gives NULL.
     */
    private static final class Layout {

        private final Columns columns;
        private final int[] probeColumn;
        private final int[] buildColumn;

        Layout(HashJoin.Spec spec, int[] positions, Columns columns) {
            this.columns = columns;
            int n = positions.length;
            this.probeColumn = new int[n];
            this.buildColumn = new int[n];
            int lw = spec.leftWidth();
            for (int k = 0; k < n; k++) {
                int c = positions[k];
                boolean left = c < lw;
                int column = left ? c : c - lw;
                probeColumn[k] = left == spec.probeIsLeft() ? column : -1;
                buildColumn[k] = left == spec.probeIsLeft() ? -1 : column;
            }
        }

        /** The row of {@code probe} (null: NULLs) and build row {@code build} ({@link JoinTable#END}: NULLs). */
        Row row(@Nullable Row probe, JoinTable table, int build) {
            int n = probeColumn.length;
            Object[] values = new Object[n];
            for (int k = 0; k < n; k++) {
                int pc = probeColumn[k];
                if (pc >= 0) {
                    values[k] = probe == null ? null : probe.get(pc);
                } else if (build != JoinTable.END) {
                    values[k] = table.value(build, buildColumn[k]);
                }
            }
            return Row.of(columns, values);
        }
    }
}
