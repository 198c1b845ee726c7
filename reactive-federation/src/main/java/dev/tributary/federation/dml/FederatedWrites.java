package dev.tributary.federation.dml;

import dev.tributary.core.Databases;
import dev.tributary.core.GlobalSession;
import dev.tributary.core.Row;
import dev.tributary.core.SqlOperations;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.plan.Executor;
import dev.tributary.federation.sql.Expr;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a federated INSERT, UPDATE or DELETE (the engine of {@code Federation.update}): plans it with
 * {@link WriteAnalyzer}, then sends it whole to its database, or streams an {@code INSERT ... SELECT} in batches,
 * or binds the keys of an {@code IN (SELECT ...)} in batches. Everything written to the target database runs in
 * one transaction there, or in the given {@link GlobalSession}'s session of that database. The SELECT parts read
 * other databases through their pools, outside any session.
 */
public final class FederatedWrites {

    /**
     * @param execution how the SELECT parts run (as federated queries)
     * @param writeBatchSize rows per batch of an INSERT ... SELECT
     */
    public record Settings(Executor.Settings execution, int writeBatchSize) {
    }

    private FederatedWrites() {
    }

    /**
     * Plans and runs a write. Planning errors are thrown, before anything is sent.
     *
     * @param session the global transaction to write in, or {@code null} for a local transaction on the target
     * @param positional the {@code ?} values, or {@code null} when {@code named} is given
     * @param named the {@code :name} values, or {@code null} when {@code positional} is given
     * @return the count of rows written
     */
    public static Mono<Long> run(String sql, Catalog catalog, Databases databases, Settings settings,
            @Nullable GlobalSession session, @Nullable Object @Nullable [] positional, @Nullable Map<String, ?> named) {
        WritePlan plan = WriteAnalyzer.analyze(sql, catalog, settings.execution().dynamicFilterMaxKeys());
        Function<Expr.Param, @Nullable Object> values = values(plan.params(), positional, named);
        Function<String, SqlOperations> direct = db -> session != null ? session.on(db) : databases.get(db);
        if (plan instanceof WritePlan.Routed routed) {
            WriteSql.Bound bound = routed.sql().bind(values, List.of());
            return direct.apply(routed.database()).update(bound.sql(), bound.binds());
        }
        Function<Function<SqlOperations, Mono<Long>>, Mono<Long>> transaction = work -> session != null
                ? Mono.defer(() -> work.apply(session.on(plan.database())))
                : databases.get(plan.database()).inTransaction(work::apply).single();
        if (plan instanceof WritePlan.StreamedInsert insert) {
            Flux<Row> rows = Executor.execute(insert.source(), databases, settings.execution(), values);
            return transaction.apply(target -> InsertBatches.write(rows, target, insert.insertSql(),
                    settings.writeBatchSize()));
        }
        WritePlan.KeyedWrite keyed = (WritePlan.KeyedWrite) plan;
        Flux<Object> keys = Executor.execute(keyed.keys(), databases, settings.execution(), values)
                .mapNotNull(row -> row.get(0))
                .distinct();
        return transaction.apply(target -> keys.buffer(settings.execution().inListBatchSize())
                .concatMap(chunk -> {
                    WriteSql.Bound bound = keyed.sql().bind(values, chunk);
                    return target.update(bound.sql(), bound.binds());
                }, 0)
                .reduce(0L, Long::sum));
    }

    /** The parameter values, checked against the statement's parameters. */
    private static Function<Expr.Param, @Nullable Object> values(WritePlan.Params params,
            @Nullable Object @Nullable [] positional, @Nullable Map<String, ?> named) {
        if (named != null) {
            if (params.positional() > 0) {
                throw new IllegalArgumentException("The statement uses ? parameters; pass them with update(sql, Object...)");
            }
            for (String n : params.named()) {
                if (!named.containsKey(n)) {
                    throw new IllegalArgumentException("No value for parameter :" + n + "; given " + named.keySet());
                }
            }
            return p -> named.get(p.name());
        }
        Object[] given = positional == null ? new Object[0] : positional;
        if (!params.named().isEmpty()) {
            throw new IllegalArgumentException("The statement uses :name parameters " + params.named()
                    + "; pass them with update(sql, Map)");
        }
        if (params.positional() != given.length) {
            throw new IllegalArgumentException("The statement has " + params.positional() + " ? parameters but "
                    + given.length + " values were given");
        }
        return p -> given[p.index()];
    }
}
