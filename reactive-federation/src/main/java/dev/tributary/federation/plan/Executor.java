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
import dev.tributary.federation.exec.MemoryBudget;
import dev.tributary.federation.exec.Operators;
import dev.tributary.federation.exec.ProbeSource;
import dev.tributary.federation.exec.RowExpression;
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
            return fragment((PhysicalNode.Fragment) root, null);
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
            return orderAndLimit(q, join(j, columns, out), layout, limit, offset);
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
        if (node instanceof PhysicalNode.Fragment f) {
            return fragment(f, null);
        }
        if (node instanceof PhysicalNode.Filter f) {
            return Operators.filter(node(f.input()), ExpressionCompiler.predicate(f.predicate(), f.input().layout(), params));
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
        return join((PhysicalNode.HashJoinNode) node, null, null);
    }

    /** A hash join; emitting only the layout {@code positions} over {@code out} when they are given. */
    private Flux<Row> join(PhysicalNode.HashJoinNode j, int @Nullable [] positions, @Nullable Columns out) {
        return HashJoin.builder()
                .type(j.type)
                .name(j.name)
                .left(source(j.left, j), keyIndexes(j.left.layout(), j.leftKeys), j.left.layout().size())
                .right(source(j.right, j), keyIndexes(j.right.layout(), j.rightKeys), j.right.layout().size())
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

    private ProbeSource source(PhysicalNode child, PhysicalNode.HashJoinNode join) {
        if (join.dynamicFilter && child instanceof PhysicalNode.Fragment f && f.dynamicFilter != null
                && f.dynamicFilter.join().equals(join.name)) {
            return keys -> fragment(f, keys);
        }
        return keys -> node(child);
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

    private Flux<Row> fragment(PhysicalNode.Fragment f, @Nullable List<Object> keys) {
        if (keys == null || f.dynamicFilter == null) {
            return run(f, SqlRenderer.render(plan.query(), f, 0), null);
        }
        List<Object> converted = KeyConversion.convert(keys, f.dynamicFilter.javaType());
        if (converted.isEmpty()) {
            return Flux.empty();
        }
        if (f.dialect == Dialect.POSTGRESQL) {
            return run(f, SqlRenderer.render(plan.query(), f, 1), converted);
        }
        int batch = settings.inListBatchSize();
        List<Flux<Row>> parts = new ArrayList<>();
        for (int from = 0; from < converted.size(); from += batch) {
            List<Object> part = converted.subList(from, Math.min(converted.size(), from + batch));
            parts.add(Flux.defer(() -> run(f, SqlRenderer.render(plan.query(), f, part.size()), part)));
        }
        return Flux.concat(parts);
    }

    private Flux<Row> run(PhysicalNode.Fragment f, FragmentSql sql, @Nullable List<Object> keys) {
        Object[] binds = new Object[sql.binds().size()];
        for (int i = 0; i < binds.length; i++) {
            FragmentSql.Bind b = sql.binds().get(i);
            if (b instanceof FragmentSql.Value v) {
                binds[i] = v.value();
            } else if (b instanceof FragmentSql.Param p) {
                binds[i] = params.apply(p.param());
            } else if (b instanceof FragmentSql.KeyArray a) {
                Object array = Array.newInstance(a.elementType(), keys.size());
                for (int k = 0; k < keys.size(); k++) {
                    Array.set(array, k, keys.get(k));
                }
                binds[i] = array;
            } else if (b instanceof FragmentSql.Key k) {
                binds[i] = keys.get(k.index());
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
