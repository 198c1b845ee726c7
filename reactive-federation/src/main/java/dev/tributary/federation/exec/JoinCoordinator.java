package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One subscription to a {@link HashJoin}. The build input fills the {@link JoinTable} on its own thread; once
 * it is complete, a single drain loop (reactor-core's {@code wip}/{@code missed} idiom) takes probe rows from
 * the {@link FluxHashJoin.ProbeInput}'s bounded queue only while downstream demand lasts, walks each row's
 * chain of matches one output row at a time, and finally emits the unmatched build rows.
 */
final class JoinCoordinator implements Subscription {

    /** Bytes counted per build row on top of the row itself: chain link, index slot, key. */
    static final int TABLE_OVERHEAD = 40;

    private static final AtomicIntegerFieldUpdater<JoinCoordinator> WIP =
            AtomicIntegerFieldUpdater.newUpdater(JoinCoordinator.class, "wip");
    private static final AtomicLongFieldUpdater<JoinCoordinator> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(JoinCoordinator.class, "requested");
    private static final AtomicLongFieldUpdater<JoinCoordinator> HELD =
            AtomicLongFieldUpdater.newUpdater(JoinCoordinator.class, "held");
    private static final AtomicReferenceFieldUpdater<JoinCoordinator, Throwable> ERROR =
            AtomicReferenceFieldUpdater.newUpdater(JoinCoordinator.class, Throwable.class, "error");

    private final HashJoin.Spec spec;
    private final CoreSubscriber<? super Row> actual;
    private final FluxHashJoin.BuildInput build;
    private final JoinTable table = new JoinTable();
    private final boolean singleKey;
    private final JoinType type;
    private final boolean buildPadded;
    private final boolean probePreserved;
    private final boolean marksOnly;
    private final boolean keysOnly;
    private final boolean keepsNullKeyBuildRows;

    private volatile int wip;
    private volatile long requested;
    private volatile long held;
    private volatile @Nullable Throwable error;
    private volatile boolean cancelled;
    private volatile boolean buildDone;
    private volatile FluxHashJoin.@Nullable ProbeInput probe;

    // build thread, published by buildDone
    private @Nullable Map<Object, Object> filterKeys;
    private boolean buildHasNullKey;
    private boolean probeUseless;

    // drain loop only
    private @Nullable Row probeRow;
    private int chain = JoinTable.END;
    private boolean probeMatched;
    private boolean probeFinished;
    private boolean probeSawRow;
    private boolean probeSawNullKey;
    private int endCursor;
    private @Nullable Columns pairColumns;
    private @Nullable Columns sameAsOutput;

    JoinCoordinator(HashJoin.Spec spec, CoreSubscriber<? super Row> actual) {
        this.spec = spec;
        this.actual = actual;
        this.build = new FluxHashJoin.BuildInput(this);
        this.singleKey = spec.buildKeys().length == 1;
        this.type = spec.type();
        this.buildPadded = spec.buildPadded();
        this.probePreserved = spec.probePreserved();
        this.marksOnly = spec.marksOnly();
        this.keysOnly = spec.keysOnly();
        this.keepsNullKeyBuildRows = spec.keepsNullKeyBuildRows();
        this.filterKeys = spec.dynamicMaxKeys() > 0 ? new LinkedHashMap<>() : null;
        this.pairColumns = type.leftOnly() ? null : spec.output();
    }

    boolean isCancelled() {
        return cancelled;
    }

    Context context() {
        return actual.currentContext();
    }

    // ---------------------------------------------------------------------------------------- inputs

    void start() {
        if (cancelled) {
            return;
        }
        Flux<Row> source = open(spec.buildSource(), null);
        if (source == null) {
            return;
        }
        // without a dynamic filter the probe input is in place before the build side can complete
        Flux<Row> probeSource = spec.dynamicMaxKeys() == 0 ? prepareProbe(null) : null;
        source.subscribe(build);
        subscribeProbe(probeSource);
    }

    /** Opens the probe source and installs its input; the drain loop finds it there from now on. */
    private @Nullable Flux<Row> prepareProbe(@Nullable List<Object> keys) {
        if (cancelled) {
            return null;
        }
        Flux<Row> source = open(spec.probeSource(), keys);
        if (source != null) {
            probe = new FluxHashJoin.ProbeInput(this, spec.prefetch());
        }
        return source;
    }

    private void subscribeProbe(@Nullable Flux<Row> source) {
        FluxHashJoin.@Nullable ProbeInput input = probe;
        if (source == null || input == null || cancelled) { // cancel() may have missed the input
            return;
        }
        source.subscribe(input);
    }

    private @Nullable Flux<Row> open(ProbeSource source, @Nullable List<Object> keys) {
        try {
            return Objects.requireNonNull(source.open(keys), "ProbeSource.open returned null");
        } catch (Throwable e) {
            onInputError(Operators.onOperatorError(e, context()));
            return null;
        }
    }

    /** Build thread: adds one row to the table under the memory budget. */
    void onBuildRow(Row row) {
        int[] keys = spec.buildKeys();
        Object single = singleKey ? row.get(keys[0]) : null;
        if (singleKey && single != null && SqlValues.isIntegral(single)) {
            long key = ((Number) single).longValue();
            if (keysOnly && table.find(key) != JoinTable.END) {
                return;
            }
            reserve(row);
            table.add(row, key);
        } else {
            Object key = singleKey ? SqlValues.keyOf(single) : JoinKeys.composite(row, keys);
            if (key == null) {
                if (!keepsNullKeyBuildRows) {
                    buildHasNullKey = true;
                    return;
                }
                reserve(row);
                table.addUnkeyed(row);
                return;
            }
            if (keysOnly && table.find(key) != JoinTable.END) {
                return;
            }
            reserve(row);
            table.add(row, key);
        }
        Map<Object, Object> filter = filterKeys;
        if (filter != null) {
            Object first = singleKey ? single : row.get(keys[0]);
            filter.putIfAbsent(Objects.requireNonNull(SqlValues.keyOf(first)), Objects.requireNonNull(first));
            if (filter.size() > spec.dynamicMaxKeys()) {
                filterKeys = null;
            }
        }
    }

    private void reserve(Row row) {
        long bytes = MemoryBudget.estimate(row) + TABLE_OVERHEAD;
        spec.budget().reserve(bytes, spec.name());
        HELD.addAndGet(this, bytes);
        if (cancelled) {
            releaseHeld();
        }
    }

    /** Build thread: the table is complete; open the probe side now if it waited for the dynamic filter. */
    void onBuildComplete() {
        probeUseless = (type == JoinType.NOT_IN && spec.probeIsLeft() && buildHasNullKey)
                || (table.size() == 0 && !probePreserved);
        List<Object> keys = filterKeys == null ? null : new ArrayList<>(filterKeys.values());
        filterKeys = null;
        Flux<Row> probeSource = spec.dynamicMaxKeys() > 0 && !probeUseless ? prepareProbe(keys) : null;
        buildDone = true;
        subscribeProbe(probeSource);
        drain();
    }

    /** Either input failed (or could not be opened): the first error wins, the other input is cancelled. */
    void onInputError(Throwable e) {
        if (!ERROR.compareAndSet(this, null, e)) {
            Operators.onErrorDropped(e, context());
            return;
        }
        cancelInputs();
        drain();
    }

    // ---------------------------------------------------------------------------------------- downstream

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        cancelInputs();
        if (WIP.getAndIncrement(this) == 0) {
            cleanUp();
        }
    }

    void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            if (cancelled) {
                cleanUp();
                return;
            }
            if (error != null) {
                terminate();
                actual.onError(Objects.requireNonNull(error));
                return;
            }
            if (buildDone) {
                if (probeUseless) {
                    terminate();
                    actual.onComplete();
                    return;
                }
                if (emit()) {
                    return;
                }
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Emits while there is demand; returns true when a terminal signal was sent. */
    private boolean emit() {
        long r = requested;
        long e = 0;
        boolean finished = false;
        while (e != r) {
            if (cancelled) {
                return false; // the next round of the drain loop cleans up
            }
            Row out;
            try {
                out = next();
            } catch (Throwable t) {
                ERROR.compareAndSet(this, null, Operators.onOperatorError(t, context()));
                break;
            }
            if (out == null) {
                finished = isExhausted();
                break;
            }
            actual.onNext(out);
            e++;
        }
        if (e != 0 && r != Long.MAX_VALUE) {
            REQUESTED.addAndGet(this, -e);
        }
        Throwable failure = error;
        if (failure != null) {
            terminate();
            actual.onError(failure);
            return true;
        }
        if (finished || (e == r && isExhausted())) {
            terminate();
            actual.onComplete();
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------- the join

    /** The next output row, or {@code null} when more probe input is needed or nothing is left. */
    private @Nullable Row next() {
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
                FluxHashJoin.ProbeInput input = Objects.requireNonNull(probe);
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
                Row out = startProbeRow(q);
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
    private boolean isExhausted() {
        if (probeRow != null) {
            if (chain != JoinTable.END || (!probeMatched && probePreserved)) {
                return false; // more matches, or the unmatched row itself, to emit
            }
            probeRow = null;
        }
        if (!probeFinished) {
            FluxHashJoin.ProbeInput input = Objects.requireNonNull(probe);
            if (!input.done || !input.queue.isEmpty()) {
                return false;
            }
            probeFinished = true;
        }
        endCursor = nextEndRow(endCursor);
        return endCursor >= table.size();
    }

    /** Looks a probe row up; returns an output row when the row is settled at once. */
    private @Nullable Row startProbeRow(Row q) {
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
                cancelProbe();
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

    // ---------------------------------------------------------------------------------------- teardown

    private void cancelInputs() {
        build.cancel();
        cancelProbe();
    }

    private void cancelProbe() {
        FluxHashJoin.@Nullable ProbeInput input = probe;
        if (input != null) {
            input.cancel();
        }
    }

    private void terminate() {
        cancelled = true;
        cancelInputs();
        cleanUp();
    }

    private void cleanUp() {
        FluxHashJoin.@Nullable ProbeInput input = probe;
        if (input != null) {
            Operators.onDiscardQueueWithClear(input.queue, context(), null);
        }
        probeRow = null;
        releaseHeld();
    }

    private void releaseHeld() {
        long bytes = HELD.getAndSet(this, 0);
        if (bytes != 0) {
            spec.budget().release(bytes);
        }
    }
}
