package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node of the physical plan. Each node's output row is laid out as its {@link #layout()}: one
 * expression per column ({@link Expr.Ref} for a table column, any other expression for a computed one).
 */
public sealed interface PhysicalNode {

    /** The expressions of the output columns, in order; fixed once the plan is finished. */
    List<Expr> layout();

    /** The relations (indexes into the bound query) this node covers. */
    BitSet relations();

    /** The estimated number of output rows. */
    double estimate();

    /** The tree under a SQL fragment: relation leaves and the joins among them. */
    sealed interface From {
    }

    /** The FROM tree of a block, left-deep in FROM order; a RIGHT JOIN stays a RIGHT JOIN. */
    static From tree(List<BoundQuery.Relation> rels) {
        From from = new Leaf(rels.get(0));
        for (int i = 1; i < rels.size(); i++) {
            BoundQuery.Relation r = rels.get(i);
            List<Expr> on = Expr.conjuncts(r.on());
            From leaf = new Leaf(r);
            from = switch (r.kind()) {
                case LEFT -> new Join(JoinType.LEFT, from, leaf, on);
                case RIGHT -> new Join(JoinType.RIGHT, from, leaf, on);
                case FULL -> new Join(JoinType.FULL, from, leaf, on);
                default -> new Join(JoinType.INNER, from, leaf, on);
            };
        }
        return from;
    }

    /** One table or derived table. */
    record Leaf(BoundQuery.Relation relation) implements From {
    }

    /** {@code left kind JOIN right ON on} inside one database; kind is INNER, LEFT or FULL. */
    record Join(JoinType type, From left, From right, List<Expr> on) implements From {
        public Join {
            on = List.copyOf(on);
        }
    }

    /**
     * A dynamic filter pushed into a fragment under a join's probe side: the join, and the join's key columns
     * that this fragment holds.
     */
    record DynamicFilter(String join, List<KeyColumn> columns) {
        public DynamicFilter {
            columns = List.copyOf(columns);
        }

        /** The first column (the only one of a single-key join). */
        Expr.Ref column() {
            return columns.get(0).column();
        }
    }

    /** A key column of a dynamic filter: the fragment's column, its Java type, and its position among the join's keys. */
    record KeyColumn(Expr.Ref column, Class<?> javaType, int key) {
    }

    /**
     * A SQL fragment sent to one database: either a FROM tree with pushed filters and the columns its parent
     * needs, or ({@code whole} set) a whole SELECT block, aggregates, ORDER BY and LIMIT included, whose
     * output columns are the layout.
     */
    final class Fragment implements PhysicalNode {
        @Nullable BoundQuery whole;
        final String database;
        final Dialect dialect;
        From from;
        final List<Expr> where = new ArrayList<>();
        final List<Expr> outputs = new ArrayList<>();
        final BitSet relations;
        double estimate;
        final List<DynamicFilter> dynamicFilters = new ArrayList<>();
        int id;

        Fragment(String database, Dialect dialect, From from, BitSet relations, double estimate) {
            this.database = database;
            this.dialect = dialect;
            this.from = from;
            this.relations = relations;
            this.estimate = estimate;
        }

        /** The registered name of the database this fragment runs on. */
        public String database() {
            return database;
        }

        @Override
        public List<Expr> layout() {
            return outputs;
        }

        @Override
        public BitSet relations() {
            return relations;
        }

        @Override
        public double estimate() {
            return estimate;
        }
    }

    /** A cross-database hash join. Keys are pairs: {@code leftKeys[i] = rightKeys[i]}. */
    final class HashJoinNode implements PhysicalNode {
        final String name;
        final JoinType type;
        final PhysicalNode left;
        final PhysicalNode right;
        final List<Expr> leftKeys;
        final List<Expr> rightKeys;
        final @Nullable Expr residual;
        final boolean buildLeft;
        final boolean dynamicFilter;
        final double estimate;
        final BitSet relations;
        final List<Expr> layout = new ArrayList<>();

        HashJoinNode(String name, JoinType type, PhysicalNode left, PhysicalNode right, List<Expr> leftKeys,
                List<Expr> rightKeys, @Nullable Expr residual, boolean buildLeft, boolean dynamicFilter, double estimate) {
            this.name = name;
            this.type = type;
            this.left = left;
            this.right = right;
            this.leftKeys = List.copyOf(leftKeys);
            this.rightKeys = List.copyOf(rightKeys);
            this.residual = residual;
            this.buildLeft = buildLeft;
            this.dynamicFilter = dynamicFilter;
            this.estimate = estimate;
            this.relations = (BitSet) left.relations().clone();
            this.relations.or(right.relations());
        }

        @Override
        public List<Expr> layout() {
            return layout;
        }

        @Override
        public BitSet relations() {
            return relations;
        }

        @Override
        public double estimate() {
            return estimate;
        }
    }

    /** Hash aggregation in memory: the layout is the GROUP BY expressions, then the aggregate calls. */
    record Aggregate(PhysicalNode input, List<Expr> groupBy, List<Expr.Agg> calls, List<Expr> layout, double estimate)
            implements PhysicalNode {
        @Override
        public BitSet relations() {
            return input.relations();
        }
    }

    /**
     * The end of a SELECT block in memory: ORDER BY (a top-N under LIMIT), OFFSET/LIMIT, the select list and
     * DISTINCT. Its layout is the block's output expressions (the statement), or the columns of the derived
     * table or subquery relation it produces.
     */
    record Finish(PhysicalNode input, BoundQuery block, List<Expr> layout, BitSet relations, double estimate)
            implements PhysicalNode {
    }

    /** UNION ALL (or UNION, without duplicates) of inputs that share one layout. */
    record Union(List<PhysicalNode> inputs, boolean all, List<Expr> layout, BitSet relations, double estimate)
            implements PhysicalNode {
    }

    /** A filter evaluated in memory on its input's rows (3-valued: only TRUE passes). */
    record Filter(PhysicalNode input, Expr predicate, double estimate) implements PhysicalNode {
        @Override
        public List<Expr> layout() {
            return input.layout();
        }

        @Override
        public BitSet relations() {
            return input.relations();
        }
    }
}
