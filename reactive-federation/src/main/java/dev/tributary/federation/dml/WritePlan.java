package dev.tributary.federation.dml;

import dev.tributary.federation.plan.PhysicalPlan;
import dev.tributary.federation.sql.Expr;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** How a federated write runs, decided before anything is sent. */
sealed interface WritePlan {

    /** The database written to. */
    String database();

    /** The {@code ?} count and {@code :name} parameters of the whole statement, to check the given values against. */
    record Params(int positional, Set<String> named) {
    }

    Params params();

    /** The statement touches one database: it is sent there whole. */
    record Routed(String database, WriteSql sql, Params params) implements WritePlan {
    }

    /**
     * {@code INSERT INTO target (columns) SELECT ...} whose SELECT reads other databases: the SELECT runs as a
     * federated query and its rows are inserted in batches.
     *
     * @param insertSql the single-row INSERT, one marker per column, that each batch binds once per row
     * @param source the plan of the SELECT
     */
    record StreamedInsert(String database, String insertSql, PhysicalPlan source, Params params) implements WritePlan {
    }

    /**
     * {@code UPDATE/DELETE ... WHERE col IN (SELECT ...)} whose subquery reads other databases: the subquery runs
     * first as a federated query, and its distinct non-null keys are bound into the statement in batches.
     *
     * @param sql the statement with the key list's sentinel in place of the subquery
     * @param keys the plan of the subquery (one column)
     */
    record KeyedWrite(String database, WriteSql sql, PhysicalPlan keys, Params params) implements WritePlan {
    }

    /** The parameters in a list of markers. */
    static Params params(List<Expr.Param> markers) {
        int positional = 0;
        Set<String> named = new LinkedHashSet<>();
        for (Expr.Param p : markers) {
            if (p.name() != null) {
                named.add(p.name());
            } else {
                positional = Math.max(positional, p.index() + 1);
            }
        }
        return new Params(positional, Set.copyOf(named));
    }
}
