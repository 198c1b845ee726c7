package dev.tributary.federation.plan;

import dev.tributary.core.Columns;
import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.Dialect;
import dev.tributary.core.QueryKind;
import dev.tributary.core.Row;
import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.TributaryException;
import dev.tributary.core.resilience.FailureClassifier;
import dev.tributary.federation.exec.AggregateCall;
import dev.tributary.federation.exec.HashJoin;
import dev.tributary.federation.exec.KeyFilter;
import dev.tributary.federation.exec.MemoryBudget;
import dev.tributary.federation.exec.Operators;
import dev.tributary.federation.exec.ProbeSource;
import dev.tributary.federation.exec.RowExpression;
import dev.tributary.federation.exec.SqlValues;
import dev.tributary.federation.sql.Expr;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a {@link PhysicalPlan}: each fragment as its own {@code Flux} from its {@link Database}, hash joins
 * from the exec package over them, then ORDER BY, LIMIT, the select list and DISTINCT in memory.
 */
public final class Executor {

    /** Execution settings taken from the federation's options. */
    public record Settings(long memoryBudget, int dynamicFilterMaxKeys, int probePrefetch, int inListBatchSize) {
    }

    private final PhysicalPlan plan;
    private final Databases databases;
    private final Settings settings;
    private Function<Expr.Param, @Nullable Object> params;
    private final MemoryBudget budget;
    private final boolean combined;

    private Executor(PhysicalPlan plan, Databases databases, Settings settings,
            Function<Expr.Param, @Nullable Object> params) {
        this.plan = plan;
        this.databases = databases;
        this.settings = settings;
        this.params = params;
        this.budget = MemoryBudget.of(settings.memoryBudget());
        this.combined = fragments(plan.root()) > 1 || plan.subplans().stream().anyMatch(s -> fragments(s.root()) > 1);
    }

    /** How many fragments this tree reads; they all stream at once. */
    private static int fragments(PhysicalNode node) {
        if (node instanceof PhysicalNode.Fragment) {
            return 1;
        }
        if (node instanceof PhysicalNode.HashJoinNode j) {
            return fragments(j.left) + fragments(j.right);
        }
        if (node instanceof PhysicalNode.Union u) {
            return u.inputs().stream().mapToInt(Executor::fragments).sum();
        }
        if (node instanceof PhysicalNode.Aggregate a) {
            return fragments(a.input());
        }
        if (node instanceof PhysicalNode.Finish f) {
            return fragments(f.input());
        }
        return fragments(((PhysicalNode.Filter) node).input());
    }

    /** The rows of the plan; cold: each subscription runs the query anew with a fresh memory budget. */
    public static Flux<Row> execute(PhysicalPlan plan, Databases databases, Settings settings,
            Function<Expr.Param, @Nullable Object> params) {
        return Flux.defer(() -> new Executor(plan, databases, settings, params).run());
    }

    private Flux<Row> run() {
        if (plan.subplans().isEmpty()) {
            return main();
        }
        Map<String, @Nullable Object> values = new HashMap<>();
        Function<Expr.Param, @Nullable Object> user = params;
        params = p -> p.name() != null && p.name().startsWith("#") ? values.get(p.name()) : user.apply(p);
        return Flux.fromIterable(plan.subplans())
                .concatMap(s -> subplan(s).doOnNext(v -> values.put(s.param(), v.orElse(null))))
                .thenMany(Flux.defer(this::main));
    }

    /** The value of an uncorrelated subquery: EXISTS, or the one value of its at most one row. */
    private Mono<Optional<Object>> subplan(PhysicalPlan.Subplan s) {
        Flux<Row> rows = node(s.root());
        if (s.exists()) {
            return rows.hasElements().map(Optional::of);
        }
        return rows.take(2).collectList().map(list -> {
            if (list.size() > 1) {
                throw new TributaryException("more than one row returned by a subquery used as an expression");
            }
            return list.isEmpty() ? Optional.empty() : Optional.ofNullable(list.get(0).values()[0]);
        });
    }

    private Flux<Row> main() {
        PhysicalNode root = plan.root();
        if (plan.whole()) {
            return fragment((PhysicalNode.Fragment) root, Map.of());
        }
        return node(root);
    }

    /** ORDER BY, LIMIT, the select list and DISTINCT of a block, over its input's rows. */
    private Flux<Row> finish(PhysicalNode.Finish f) {
        BoundQuery q = f.block();
        List<Expr> layout = f.input().layout();
        Columns out = Columns.of(q.outputs().stream().map(BoundQuery.Output::name).toList());
        long limit = q.limit() == null ? -1 : number(q.limit(), "LIMIT");
        long offset = q.offset() == null ? 0 : number(q.offset(), "OFFSET");
        int[] columns = plainColumns(q, layout);
        if (columns != null && !q.distinct() && q.orderBy().isEmpty()
                && f.input() instanceof PhysicalNode.HashJoinNode j) {
            // a select list of plain columns straight over a join: the join builds the output rows itself
            return orderAndLimit(q, join(j, columns, out, Map.of()), layout, limit, offset);
        }
        Flux<Row> rows = node(f.input());
        RowExpression[] project = q.outputs().stream()
                .map(o -> ExpressionCompiler.compile(o.expr(), layout, params)).toArray(RowExpression[]::new);
        if (q.distinct()) {
            rows = Operators.distinct(Operators.project(rows, out, project), budget);
            List<Expr> outLayout = q.outputs().stream().map(BoundQuery.Output::expr).toList();
            return orderAndLimit(q, rows, outLayout, limit, offset);
        }
        rows = orderAndLimit(q, rows, layout, limit, offset);
        return Operators.project(rows, out, project);
    }

    /** The layout positions of a select list made of plain columns only; null when any output is computed. */
    private static int @Nullable [] plainColumns(BoundQuery q, List<Expr> layout) {
        int[] positions = new int[q.outputs().size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = layout.indexOf(q.outputs().get(i).expr());
            if (positions[i] < 0) {
                return null;
            }
        }
        return positions;
    }

    private Flux<Row> orderAndLimit(BoundQuery q, Flux<Row> rows, List<Expr> layout, long limit, long offset) {
        if (!q.orderBy().isEmpty()) {
            int n = q.orderBy().size();
            RowExpression[] keys = new RowExpression[n];
            boolean[] desc = new boolean[n];
            boolean[] nullsFirst = new boolean[n];
            for (int i = 0; i < n; i++) {
                BoundQuery.Order o = q.orderBy().get(i);
                keys[i] = ExpressionCompiler.compile(o.expr(), layout, params);
                desc[i] = o.descending();
                nullsFirst[i] = o.nullsFirst();
            }
            Comparator<Row> order = Operators.orderBy(keys, desc, nullsFirst);
            return limit >= 0 ? Operators.topN(rows, order, offset, limit) : Operators.limit(
                    Operators.sort(rows, order, budget), offset, -1);
        }
        if (limit >= 0 || offset > 0) {
            return Operators.limit(rows, offset, limit);
        }
        return rows;
    }

    private long number(Expr e, String clause) {
        Object v = e instanceof Expr.Param p ? params.apply(p) : ((Expr.Literal) e).value();
        if (v instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new IllegalArgumentException(clause + " must be a non-negative integer, was " + v);
    }

    private Flux<Row> node(PhysicalNode node) {
        return node(node, Map.of());
    }

    /**
     * The rows of a node; {@code filters} holds the key filters of the joins above it whose probe side it is
     * part of, by join name (the planner put each where it applies: in fragments reached through joins and
     * filters).
     */
    private Flux<Row> node(PhysicalNode node, Map<String, KeyFilter> filters) {
        if (node instanceof PhysicalNode.Fragment f) {
            return fragment(f, filters);
        }
        if (node instanceof PhysicalNode.Filter f) {
            return Operators.filter(node(f.input(), filters),
                    ExpressionCompiler.predicate(f.predicate(), f.input().layout(), params));
        }
        if (node instanceof PhysicalNode.Finish f) {
            return finish(f);
        }
        if (node instanceof PhysicalNode.Aggregate a) {
            return aggregate(a);
        }
        if (node instanceof PhysicalNode.Union u) {
            Columns out = columns(u.layout());
            Flux<Row> all = Operators.unionAll(u.inputs().stream().map(this::node).toList(), out,
                    settings.probePrefetch());
            return u.all() ? all : Operators.distinct(all, budget, "UNION (duplicate elimination)");
        }
        return join((PhysicalNode.HashJoinNode) node, null, null, filters);
    }

    /** A hash join; emitting only the layout {@code positions} over {@code out} when they are given. */
    private Flux<Row> join(PhysicalNode.HashJoinNode j, int @Nullable [] positions, @Nullable Columns out,
            Map<String, KeyFilter> filters) {
        return HashJoin.builder()
                .type(j.type)
                .name(j.name)
                .left(source(j.left, j, filters), keyIndexes(j.left.layout(), j.leftKeys), j.left.layout().size())
                .right(source(j.right, j, filters), keyIndexes(j.right.layout(), j.rightKeys), j.right.layout().size())
                .buildSide(j.buildLeft ? HashJoin.Side.LEFT : HashJoin.Side.RIGHT)
                .dynamicFilter(j.dynamicFilter ? settings.dynamicFilterMaxKeys() : 0)
                .extraCondition(j.residual == null ? null
                        : ExpressionCompiler.predicate(j.residual, j.layout(), params))
                .output(columns(j.layout()))
                .project(positions, out)
                .budget(budget)
                .prefetch(settings.probePrefetch())
                .build();
    }

    private Columns columns(List<Expr> layout) {
        List<String> names = new ArrayList<>();
        layout.forEach(e -> names.add(ExprText.of(e, plan.query())));
        return Columns.of(names);
    }

    private Flux<Row> aggregate(PhysicalNode.Aggregate a) {
        List<Expr> in = a.input().layout();
        RowExpression[] keys = a.groupBy().stream().map(g -> ExpressionCompiler.compile(g, in, params))
                .toArray(RowExpression[]::new);
        AggregateCall[] calls = new AggregateCall[a.calls().size()];
        for (int i = 0; i < calls.length; i++) {
            Expr.Agg call = a.calls().get(i);
            AggregateCall.Kind kind = call.arg() == null ? AggregateCall.Kind.COUNT_STAR
                    : AggregateCall.Kind.valueOf(call.function());
            calls[i] = new AggregateCall(kind, call.arg() == null ? null : ExpressionCompiler.compile(call.arg(), in, params),
                    call.distinct());
        }
        return Operators.aggregate(node(a.input()), keys, calls, columns(a.layout()), budget);
    }

    /** A join input; the probe side of a dynamic filter opens with the build side's keys added to {@code filters}. */
    private ProbeSource source(PhysicalNode child, PhysicalNode.HashJoinNode join, Map<String, KeyFilter> filters) {
        return new ProbeSource() {
            @Override
            public Flux<Row> open(@Nullable List<Object> keys) {
                return node(child, filters);
            }

            @Override
            public Flux<Row> open(KeyFilter keys) {
                if (!join.dynamicFilter) {
                    return node(child, filters);
                }
                Map<String, KeyFilter> more = new HashMap<>(filters);
                more.put(join.name, keys);
                return node(child, more);
            }
        };
    }

    private static int[] keyIndexes(List<Expr> layout, List<Expr> keys) {
        int[] idx = new int[keys.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = layout.indexOf(keys.get(i));
            if (idx[i] < 0) {
                throw new IllegalStateException("join key " + keys.get(i) + " not in layout " + layout);
            }
        }
        return idx;
    }

    /**
     * A fragment's rows under the dynamic filters in {@code filters} that it has; outside PostgreSQL the first
     * key list runs in batches of at most {@code inListBatchSize} keys (their rows concatenated), and any other
     * key list longer than that becomes a range where its columns allow one.
     */
    private Flux<Row> fragment(PhysicalNode.Fragment f, Map<String, KeyFilter> filters) {
        List<AppliedFilter> applied = new ArrayList<>();
        for (PhysicalNode.DynamicFilter df : f.dynamicFilters) {
            KeyFilter keys = filters.get(df.join());
            if (keys != null) {
                AppliedFilter a = applied(df, keys);
                if (a != null && a.tuples() != null && a.tuples().isEmpty()) {
                    return Flux.empty();
                }
                if (a != null) {
                    applied.add(a);
                }
            }
        }
        int batch = settings.inListBatchSize();
        int batched = -1;
        for (int i = 0; i < applied.size() && f.dialect != Dialect.POSTGRESQL; i++) {
            AppliedFilter a = applied.get(i);
            if (a.tuples() != null && a.tuples().size() > batch) {
                if (batched < 0) {
                    batched = i;
                } else {
                    AppliedFilter range = applied(a.filter(), new KeyFilter(null, low(a), high(a)));
                    applied.remove(i--);
                    if (range != null) {
                        applied.add(++i, range);
                    }
                }
            }
        }
        if (batched < 0) {
            return run(f, SqlRenderer.render(plan.query(), f, applied), applied);
        }
        AppliedFilter whole = applied.get(batched);
        List<Flux<Row>> parts = new ArrayList<>();
        for (int from = 0; from < whole.tuples().size(); from += batch) {
            List<AppliedFilter> part = new ArrayList<>(applied);
            part.set(batched, new AppliedFilter(whole.filter(),
                    whole.tuples().subList(from, Math.min(whole.tuples().size(), from + batch)), null, null));
            parts.add(Flux.defer(() -> run(f, SqlRenderer.render(plan.query(), f, part), part)));
        }
        return Flux.concat(parts);
    }

    /**
     * A join's key filter over this fragment's columns of it: the distinct tuples converted to the columns'
     * types (a tuple with a value no column value can equal is dropped), or the ranges; {@code null} when it
     * restricts nothing here.
     */
    private static @Nullable AppliedFilter applied(PhysicalNode.DynamicFilter df, KeyFilter keys) {
        List<PhysicalNode.KeyColumn> columns = df.columns();
        if (keys.tuples() != null) {
            java.util.Set<List<Object>> distinct = new java.util.LinkedHashSet<>();
            tuples:
            for (Object[] t : keys.tuples()) {
                Object[] converted = new Object[columns.size()];
                for (int c = 0; c < converted.length; c++) {
                    converted[c] = KeyConversion.convert(t[columns.get(c).key()], columns.get(c).javaType());
                    if (converted[c] == null) {
                        continue tuples;
                    }
                }
                distinct.add(List.of(converted));
            }
            return new AppliedFilter(df, distinct.stream().map(List::toArray).toList(), null, null);
        }
        Object[] low = new Object[columns.size()];
        Object[] high = new Object[columns.size()];
        boolean any = false;
        for (int c = 0; c < low.length; c++) {
            PhysicalNode.KeyColumn kc = columns.get(c);
            Object l = keys.low()[kc.key()];
            Object h = keys.high()[kc.key()];
            if (l != null && h != null) {
                low[c] = KeyConversion.bound(l, kc.javaType(), false);
                high[c] = KeyConversion.bound(h, kc.javaType(), true);
                if (low[c] == null || high[c] == null) {
                    low[c] = null;
                    high[c] = null;
                } else {
                    any = true;
                }
            }
        }
        return any ? new AppliedFilter(df, null, low, high) : null;
    }

    /** The least value of each column of a tuple filter, in the join's key positions (for a range instead). */
    private static Object[] low(AppliedFilter a) {
        return extreme(a, false);
    }

    private static Object[] high(AppliedFilter a) {
        return extreme(a, true);
    }

    private static Object[] extreme(AppliedFilter a, boolean high) {
        List<PhysicalNode.KeyColumn> columns = a.filter().columns();
        int width = columns.stream().mapToInt(PhysicalNode.KeyColumn::key).max().orElse(0) + 1;
        Object[] out = new Object[width];
        for (int c = 0; c < columns.size(); c++) {
            Object best = null;
            for (Object[] t : a.tuples()) {
                if (!(t[c] instanceof Number n)) {
                    best = null;
                    break;
                }
                int cmp = best == null ? 0 : SqlValues.compare(n, best);
                if (best == null || (high ? cmp > 0 : cmp < 0)) {
                    best = n;
                }
            }
            out[columns.get(c).key()] = best;
        }
        return out;
    }

    private static AppliedFilter filter(List<AppliedFilter> filters, String join) {
        for (AppliedFilter a : filters) {
            if (a.filter().join().equals(join)) {
                return a;
            }
        }
        throw new IllegalStateException("no values for the dynamic filter of " + join);
    }

    private Flux<Row> run(PhysicalNode.Fragment f, FragmentSql sql, List<AppliedFilter> filters) {
        Object[] binds = new Object[sql.binds().size()];
        for (int i = 0; i < binds.length; i++) {
            FragmentSql.Bind b = sql.binds().get(i);
            if (b instanceof FragmentSql.Value v) {
                binds[i] = v.value();
            } else if (b instanceof FragmentSql.Param p) {
                binds[i] = params.apply(p.param());
            } else if (b instanceof FragmentSql.KeyArray a) {
                List<Object[]> tuples = filter(filters, a.join()).tuples();
                java.util.Set<Object> values = new java.util.LinkedHashSet<>();
                tuples.forEach(t -> values.add(t[a.column()]));
                Object array = Array.newInstance(a.elementType(), values.size());
                int k = 0;
                for (Object v : values) {
                    Array.set(array, k++, v);
                }
                binds[i] = array;
            } else if (b instanceof FragmentSql.Key k) {
                binds[i] = filter(filters, k.join()).tuples().get(k.index())[0];
            } else if (b instanceof FragmentSql.TupleKey k) {
                binds[i] = filter(filters, k.join()).tuples().get(k.index())[k.column()];
            } else if (b instanceof FragmentSql.RangeBound r) {
                AppliedFilter a = filter(filters, r.join());
                binds[i] = (r.high() ? a.high() : a.low())[r.column()];
            }
        }
        Database db = databases.get(f.database);
        Flux<Row> rows = Flux.defer(() -> db.query(sql.sql(), binds)).contextWrite(QueryKind.FRAGMENT.asContext());
        if (f.dialect == Dialect.MARIADB && combined) {
            // r2dbc-mariadb 1.4 can lose a request made off its event loop, as a join's requests are, and then stall
            // with rows queued (MariaDbDriverStallReproduction): read such a fragment unbounded, its rows
            // held ahead of the consumer counted against the memory budget; a query sent whole keeps its backpressure
            rows = ReadAhead.of(rows, budget, "read-ahead of MariaDB fragment #" + f.id + " (" + f.database + ")");
        }
        return new FluxFragmentErrors(rows, e -> FailureClassifier.isDatabaseFailure(e)
                ? new DatabaseUnavailableException(f.database, "Fragment #" + f.id + " could not be read: database '"
                        + f.database + "' is unavailable (" + e.getMessage() + "). Queries over the other databases"
                        + " still run; retry once it is back (its health: Databases.health())", e)
                : new TributaryException("Fragment #" + f.id + " on database '" + f.database + "' failed: "
                        + e.getMessage() + " [SQL: " + sql.sql() + "]", e));
    }
}
