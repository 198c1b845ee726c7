package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.exec.HashJoin;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The physical choices of a join between two planned inputs: its hash keys, which side builds (the smaller
 * estimate), whether a dynamic filter goes into the probe fragment (when the build side is estimated at most
 * {@code dynamicFilterMaxKeys} rows and outer join semantics allow it: on every probe key that is a column
 * the database can compare with a key list, in the probe fragment or in a fragment under joins on the probe
 * side), and the join's row estimate.
 */
final class JoinChoices {

    private final PlanContext ctx;

    JoinChoices(PlanContext ctx) {
        this.ctx = ctx;
    }

    /** One equality usable as a hash key: {@code left = right}, and the conjunct it came from. */
    record Key(Expr left, Expr right, Expr conjunct) {
    }

    /** The equality conjuncts usable as hash keys between two nodes. */
    List<Key> equiKeys(PhysicalNode left, PhysicalNode right, List<Expr> conjuncts) {
        List<Key> keys = new ArrayList<>();
        for (Expr c : conjuncts) {
            if (c instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ) {
                BitSet l = Refs.of(b.left());
                BitSet r = Refs.of(b.right());
                if (l.isEmpty() || r.isEmpty()) {
                    continue;
                }
                if (Refs.subset(l, left.relations()) && Refs.subset(r, right.relations())) {
                    keys.add(new Key(b.left(), b.right(), c));
                } else if (Refs.subset(l, right.relations()) && Refs.subset(r, left.relations())) {
                    keys.add(new Key(b.right(), b.left(), c));
                }
            }
        }
        return keys;
    }

    /**
     * The hash join of {@code left} and {@code right} on {@code on}: its equalities between the two sides are
     * the keys, the rest the residual.
     *
     * @throws UnsupportedSqlException if no conjunct of {@code on} is such an equality
     */
    PhysicalNode hashJoin(JoinType type, PhysicalNode left, PhysicalNode right, List<Expr> on) {
        List<Key> keys = equiKeys(left, right, on);
        if (keys.isEmpty()) {
            throw new UnsupportedSqlException(type + " join between databases without an equality condition ("
                    + ctx.names(left) + " and " + ctx.names(right) + ")", 0, 0,
                    "Join tables of different databases with an equality between their columns");
        }
        List<Expr> residual = new ArrayList<>(on);
        keys.forEach(k -> residual.remove(k.conjunct()));
        boolean buildLeft = left.estimate() <= right.estimate();
        PhysicalNode build = buildLeft ? left : right;
        PhysicalNode probe = buildLeft ? right : left;
        String name = ctx.joinName(left, right);
        boolean dynamic = dynamicFilter(type, buildLeft, build, probe, keys, name);
        double estimate = switch (type) {
            case FULL -> left.estimate() + right.estimate();
            case LEFT -> Math.max(left.estimate(), right.estimate());
            case SEMI, ANTI, NOT_IN -> Math.max(1, left.estimate() / 2);
            default -> Math.max(1, Math.max(left.estimate(), right.estimate())
                    * Math.min(1.0, Math.min(left.estimate(), right.estimate()) / Math.max(1, baseRows(build))));
        };
        return new PhysicalNode.HashJoinNode(name, type, left, right, keys.stream().map(Key::left).toList(),
                keys.stream().map(Key::right).toList(), Expr.and(residual), buildLeft, dynamic, estimate);
    }

    /**
     * Puts dynamic filters under the probe side when the join allows it: every probe key that is a column of a
     * fragment reached from the probe side through joins and filters (a fragment of the probe side itself, or
     * of a join under it: the chain) is filtered, the keys of one fragment together; whether any was.
     */
    private boolean dynamicFilter(JoinType type, boolean buildLeft, PhysicalNode build, PhysicalNode probe,
            List<Key> keys, String name) {
        boolean probePreserved = !HashJoin.dynamicFilterApplies(type, buildLeft ? HashJoin.Side.LEFT : HashJoin.Side.RIGHT);
        if (ctx.dynamicFilterMaxKeys <= 0 || probePreserved || build.estimate() > ctx.dynamicFilterMaxKeys) {
            return false;
        }
        Map<PhysicalNode.Fragment, List<PhysicalNode.KeyColumn>> targets = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Expr probeKey = buildLeft ? keys.get(i).right() : keys.get(i).left();
            if (probeKey instanceof Expr.Ref ref) {
                PhysicalNode.Fragment pf = holder(probe, ref.relation());
                Class<?> javaType = ctx.relation(ref.relation()).table().columns().get(ref.column()).javaType();
                if (pf != null && (pf.dialect != Dialect.POSTGRESQL || javaType != Object.class)) {
                    targets.computeIfAbsent(pf, f -> new ArrayList<>()).add(new PhysicalNode.KeyColumn(ref, javaType, i));
                }
            }
        }
        targets.forEach((f, columns) -> f.dynamicFilters.add(new PhysicalNode.DynamicFilter(name, columns)));
        return !targets.isEmpty();
    }

    /**
     * The fragment under {@code node} that holds relation {@code rel}, reached through hash joins and filters
     * only (a key filter commutes with them: a row it removes could only reach the filtering join with a key
     * that has no match there, or NULL-padded with a NULL key); {@code null} when there is none. A probe
     * fragment itself always qualifies; one further down only when it is not a whole block.
     */
    private static PhysicalNode.@Nullable Fragment holder(PhysicalNode node, int rel) {
        if (node instanceof PhysicalNode.Fragment f) {
            return f.relations.get(rel) ? f : null;
        }
        PhysicalNode.Fragment f = chained(node, rel);
        return f != null && f.whole == null ? f : null;
    }

    private static PhysicalNode.@Nullable Fragment chained(PhysicalNode node, int rel) {
        if (node instanceof PhysicalNode.Fragment f) {
            return f.relations.get(rel) ? f : null;
        }
        if (node instanceof PhysicalNode.HashJoinNode j) {
            return chained(j.left.relations().get(rel) ? j.left : j.right, rel);
        }
        if (node instanceof PhysicalNode.Filter f) {
            return chained(f.input(), rel);
        }
        return null;
    }

    private double baseRows(PhysicalNode node) {
        double max = 1;
        for (int i = node.relations().nextSetBit(0); i >= 0; i = node.relations().nextSetBit(i + 1)) {
            max = Math.max(max, ctx.relation(i).table().rowEstimate());
        }
        return max;
    }
}
