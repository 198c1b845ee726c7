package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What every planning phase of one statement shares: the bound statement (whose relation list the phases
 * extend with the subqueries they turn into relations), the catalog, the options, the subplans made so far
 * and the counter that names joins.
 */
final class PlanContext {

    final BoundQuery query;
    final Catalog catalog;
    final int dynamicFilterMaxKeys;
    final List<PhysicalPlan.Subplan> subplans = new ArrayList<>();
    private int joins;

    PlanContext(BoundQuery query, Catalog catalog, int dynamicFilterMaxKeys) {
        this.query = query;
        this.catalog = catalog;
        this.dynamicFilterMaxKeys = dynamicFilterMaxKeys;
    }

    BoundQuery.Relation relation(int index) {
        return query.relations().get(index);
    }

    /** The next join's name: {@code join#n left x right}. */
    String joinName(PhysicalNode left, PhysicalNode right) {
        return "join#" + (++joins) + " " + names(left) + " x " + names(right);
    }

    /** The names of the relations a node covers, joined by {@code +}. */
    String names(PhysicalNode node) {
        List<String> names = new ArrayList<>();
        for (int i = node.relations().nextSetBit(0); i >= 0; i = node.relations().nextSetBit(i + 1)) {
            names.add(relation(i).name());
        }
        return String.join("+", names);
    }

    /** A fragment reading {@code from}, in the database of its first relation. */
    PhysicalNode.Fragment fragment(PhysicalNode.From from) {
        BitSet rels = new BitSet();
        String db = collect(from, rels);
        return new PhysicalNode.Fragment(db, catalog.dialect(db), from, rels, 1);
    }

    private static String collect(PhysicalNode.From from, BitSet rels) {
        if (from instanceof PhysicalNode.Leaf leaf) {
            rels.set(leaf.relation().index());
            return leaf.relation().database();
        }
        PhysicalNode.Join j = (PhysicalNode.Join) from;
        collect(j.right(), rels);
        return collect(j.left(), rels);
    }

    /** Whether the fragment's database computes {@code e} as PostgreSQL would. */
    boolean pushable(Expr e, PhysicalNode.Fragment f) {
        return Pushdown.expr(e, f.dialect, query.relations());
    }

    /**
     * Whether a relation is read by a fragment: a table, or a derived table whose query lies in one database
     * that computes it as PostgreSQL would.
     */
    boolean inFragment(BoundQuery.Relation r) {
        return !r.federated() && (r.derived() == null
                || Pushdown.body(r.derived(), catalog.dialect(r.database()), query.relations()));
    }
}
