package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SqlFrontEnd;
import java.util.List;

/** One statement bound over {@link TestCatalogs#shop()}, with the planning phases built over it, for phase tests. */
final class PlanPhases {

    final Catalog catalog = TestCatalogs.shop();
    final BoundQuery query;
    final PlanContext ctx;
    final JoinChoices choices;
    final FragmentFormation formation;

    PlanPhases(String sql, int dynamicFilterMaxKeys) {
        query = Binder.bind(SqlFrontEnd.parse(sql), catalog);
        ctx = new PlanContext(query, catalog, dynamicFilterMaxKeys);
        choices = new JoinChoices(ctx);
        formation = new FragmentFormation(ctx, choices, r -> {
            throw new AssertionError("no derived table expected");
        });
    }

    /** The statement's {@code i}th FROM relation. */
    BoundQuery.Relation relation(int i) {
        return query.from().get(i);
    }

    /** The statement's WHERE conjuncts. */
    List<Expr> where() {
        return Expr.conjuncts(query.where());
    }

    /** The ON conjuncts of each FROM relation. */
    List<List<Expr>> ons() {
        return query.from().stream().map(r -> Expr.conjuncts(r.on())).toList();
    }
}
