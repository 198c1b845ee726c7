package dev.tributary.federation.exec;

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
import java.util.stream.Stream;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One subscription to a {@link HashJoin}: the reactive protocol around its {@link JoinMatcher}. The build input
 * fills the {@link JoinTable} on its own thread, under the memory budget; once it is complete, a single drain
 * loop (reactor-core's {@code wip}/{@code missed} idiom) asks the matcher for output rows only while downstream
 * demand lasts, so probe rows leave the {@link FluxHashJoin.ProbeInput}'s bounded queue (and are replenished
 * upstream) no faster than downstream takes results. Errors of either input cancel the other and reach the
 * subscriber once; cancellation cancels both and releases the budget.
 */
final class JoinCoordinator implements Subscription, Scannable {

    /**
     * Bytes counted per build row on top of its values and their slots in the table's flat array: the chain
     * link (4 to 8 bytes after doubling) and the index slot (key and chain, 16 bytes, at a load between a quarter
     * and a half: 32 to 64 bytes per key). The benchmarks' memory figure checks it against the retained heap
     * (100,000 customer rows: 206 bytes measured, 200 counted; G1 rounds these large arrays up to whole regions).
     * A {@link JoinTable#seal() sealed} direct index gives back what it saves: 164 measured, 166 counted.
     */
    static final int TABLE_OVERHEAD = 64;

    /** Marks a key column of the dynamic filter that has no range (a value that is not a finite number). */
    private static final Object NO_RANGE = new Object();

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
    private final JoinTable table;
    private final boolean singleKey;
    private final JoinType type;
    private final boolean probePreserved;
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
    private @Nullable Map<Object, Object[]> filterKeys;
    private final @Nullable Object @Nullable [] filterLow;
    private final @Nullable Object @Nullable [] filterHigh;
    private boolean buildHasNullKey;
    private boolean probeUseless;

    // drain loop only
    private final JoinMatcher matcher;

    JoinCoordinator(HashJoin.Spec spec, CoreSubscriber<? super Row> actual) {
        this.spec = spec;
        this.actual = actual;
        this.build = new FluxHashJoin.BuildInput(this);
        this.singleKey = spec.buildKeys().length == 1;
        this.type = spec.type();
        this.probePreserved = spec.probePreserved();
        this.keysOnly = spec.keysOnly();
        this.keepsNullKeyBuildRows = spec.keepsNullKeyBuildRows();
        this.filterKeys = spec.dynamicMaxKeys() > 0 ? new LinkedHashMap<>() : null;
        this.filterLow = spec.dynamicMaxKeys() > 0 ? new Object[spec.buildKeys().length] : null;
        this.filterHigh = spec.dynamicMaxKeys() > 0 ? new Object[spec.buildKeys().length] : null;
        this.table = new JoinTable(spec.buildWidth());
        this.matcher = new JoinMatcher(spec, table);
    }

    boolean isCancelled() {
        return cancelled;
    }

    /**
     * For debugging tools: ACTUAL the subscriber, the two inputs as {@link #inners()}, BUFFERED the probe rows
     * queued, TERMINATED once both inputs ended; CANCELLED is also set when the join tore itself down after its
     * end or an error. Read from another thread, the values may be a moment old.
     */
    @Override
    public @Nullable Object scanUnsafe(Attr key) {
        FluxHashJoin.@Nullable ProbeInput input = probe;
        if (key == Attr.ACTUAL) {
            return actual;
        }
        if (key == Attr.CANCELLED) {
            return cancelled;
        }
        if (key == Attr.TERMINATED) {
            return build.done && input != null && input.done;
        }
        if (key == Attr.ERROR) {
            return error;
        }
        if (key == Attr.REQUESTED_FROM_DOWNSTREAM) {
            return requested;
        }
        if (key == Attr.PREFETCH) {
            return spec.prefetch();
        }
        if (key == Attr.BUFFERED) {
            return input == null ? 0 : input.queue.size();
        }
        if (key == Attr.RUN_STYLE) {
            return Attr.RunStyle.SYNC;
        }
        return null;
    }

    /** The build input, then the probe input once it is open. */
    @Override
    public Stream<? extends Scannable> inners() {
        FluxHashJoin.@Nullable ProbeInput input = probe;
        return input == null ? Stream.of(build) : Stream.of(build, input);
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
    private @Nullable Flux<Row> prepareProbe(@Nullable KeyFilter keys) {
        if (cancelled) {
            return null;
        }
        if (keys != null && keys.tuples() != null && keys.tuples().isEmpty()) { // no probe row can match: the probe side reads as empty, unopened
            FluxHashJoin.ProbeInput empty = new FluxHashJoin.ProbeInput(this, 1);
            empty.done = true;
            probe = empty;
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

    private @Nullable Flux<Row> open(ProbeSource source, @Nullable KeyFilter keys) {
        try {
            return Objects.requireNonNull(keys == null ? source.open((List<Object>) null) : source.open(keys),
                    "ProbeSource.open returned null");
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
            if (keysOnly && table.find(key) != JoinTable.MISS) {
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
            if (keysOnly && table.find(key) != JoinTable.MISS) {
                return;
            }
            reserve(row);
            table.add(row, key);
        }
        if (filterLow != null) {
            collectFilter(row, keys);
        }
    }

    /** Build thread: adds a keyed build row's key to the dynamic filter: its tuple, and each column's range. */
    private void collectFilter(Row row, int[] keys) {
        Object[] tuple = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Object v = Objects.requireNonNull(row.get(keys[i]));
            tuple[i] = v;
            widen(i, v);
        }
        Map<Object, Object[]> filter = filterKeys;
        if (filter != null) {
            Object key = singleKey ? SqlValues.keyOf(tuple[0]) : JoinKeys.composite(row, keys);
            filter.putIfAbsent(Objects.requireNonNull(key), tuple);
            if (filter.size() > spec.dynamicMaxKeys()) {
                filterKeys = null;
            }
        }
    }

    /** Widens key column {@code i}'s range to {@code v}; a column with a value other than a finite number has none. */
    private void widen(int i, Object v) {
        Object[] low = Objects.requireNonNull(filterLow);
        Object[] high = Objects.requireNonNull(filterHigh);
        if (low[i] == NO_RANGE) {
            return;
        }
        if (!(v instanceof Number n) || (v instanceof Double d && !Double.isFinite(d))
                || (v instanceof Float f && !Float.isFinite(f))) {
            low[i] = NO_RANGE;
            return;
        }
        if (low[i] == null || SqlValues.compareNumbers(n, (Number) low[i]) < 0) {
            low[i] = n;
        }
        if (high[i] == null || SqlValues.compareNumbers(n, (Number) high[i]) > 0) {
            high[i] = n;
        }
    }

    /** The dynamic filter the complete build side gives its probe side. */
    private KeyFilter keyFilter() {
        Object[] low = Objects.requireNonNull(filterLow).clone();
        Object[] high = Objects.requireNonNull(filterHigh).clone();
        for (int i = 0; i < low.length; i++) {
            if (low[i] == NO_RANGE) {
                low[i] = null;
                high[i] = null;
            }
        }
        return new KeyFilter(filterKeys == null ? null : new ArrayList<>(filterKeys.values()), low, high);
    }

    private void reserve(Row row) {
        long bytes = MemoryBudget.estimateValues(row) + TABLE_OVERHEAD;
        spec.budget().reserve(bytes, spec.name());
        HELD.addAndGet(this, bytes);
        if (cancelled) {
            releaseHeld();
        }
    }

    /** Build thread: the table is complete; open the probe side now if it waited for the dynamic filter. */
    void onBuildComplete() {
        releaseSome(table.seal());
        probeUseless = (type == JoinType.NOT_IN && spec.probeIsLeft() && buildHasNullKey)
                || (table.size() == 0 && !probePreserved);
        KeyFilter keys = filterLow == null ? null : keyFilter();
        if (keys != null && !keys.restricts()) {
            keys = null;
        }
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
        if (WIP.getAndIncrement(this) == 0) {
            drainLoop();
        }
    }

    /**
     * Probe thread: when the drain loop is idle and the queue empty (the loop keeps up, as it mostly does), the
     * row goes to the matcher directly instead of through the queue; the loop then runs as {@link #drain} would.
     */
    boolean tryDirect(Row row, FluxHashJoin.ProbeInput input) {
        if (wip != 0 || !buildDone || !input.queue.isEmpty() || !WIP.compareAndSet(this, 0, 1)) {
            return false;
        }
        if (!matcher.offerDirect(row) && !input.queue.offer(row)) {
            input.fail(Exceptions.failWithOverflow(Exceptions.BACKPRESSURE_ERROR_QUEUE_FULL), row);
        }
        drainLoop();
        return true;
    }

    /** The drain loop proper, entered by whoever moved {@code wip} from 0. */
    private void drainLoop() {
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
                out = matcher.next(Objects.requireNonNull(probe));
            } catch (Throwable t) {
                ERROR.compareAndSet(this, null, Operators.onOperatorError(t, context()));
                break;
            }
            if (out == null) {
                finished = matcher.isExhausted(Objects.requireNonNull(probe));
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
        if (finished || (e == r && matcher.isExhausted(Objects.requireNonNull(probe)))) {
            terminate();
            actual.onComplete();
            return true;
        }
        return false;
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
        Row direct = matcher.clear();
        if (direct != null) {
            Operators.onDiscard(direct, context());
        }
        releaseHeld();
    }

    /** Gives back bytes the table no longer holds, never more than is held (cancel may have released it all). */
    private void releaseSome(long bytes) {
        for (;;) {
            long h = held;
            long r = Math.min(h, bytes);
            if (r <= 0) {
                return;
            }
            if (HELD.compareAndSet(this, h, h - r)) {
                spec.budget().release(r);
                return;
            }
        }
    }

    private void releaseHeld() {
        long bytes = HELD.getAndSet(this, 0);
        if (bytes != 0) {
            spec.budget().release(bytes);
        }
    }
}
