package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans a {@link BoundQuery}: pure computation over the catalog snapshot. A query over one database
 * becomes one fragment carrying the whole query. Otherwise each maximal group of same-database tables
 * joined to each other becomes one fragment with its joins and every predicate on its tables alone; the
 * fragments are combined by hash joins (the smaller estimate builds), with a dynamic filter pushed into
 * the probe fragment when the build side is estimated at most {@code dynamicFilterMaxKeys} rows and outer
 * join semantics allow it.
 */
public final class Planner {

    private final BoundQuery query;
    private final Catalog catalog;
    private final int dynamicFilterMaxKeys;
    private int joins;
    private int fragments;

    private Planner(BoundQuery query, Catalog catalog, int dynamicFilterMaxKeys) {
        this.query = query;
        this.catalog = catalog;
        this.dynamicFilterMaxKeys = dynamicFilterMaxKeys;
    }

    /** Plans the query; {@code dynamicFilterMaxKeys} 0 disables dynamic filtering. */
    public static PhysicalPlan plan(BoundQuery query, Catalog catalog, int dynamicFilterMaxKeys) {
        return new Planner(query, catalog, dynamicFilterMaxKeys).run();
    }

    private PhysicalPlan run() {
        Set<String> dbs = new LinkedHashSet<>();
        query.relations().forEach(r -> dbs.add(r.database()));
        if (dbs.size() == 1) {
            PhysicalNode.From from = leftDeep(query.relations());
            PhysicalNode.Fragment f = fragment(from);
            f.where.addAll(Expr.conjuncts(query.where()));
            f.estimate = Estimates.fragment(f);
            query.outputs().forEach(o -> f.outputs.add(o.expr()));
            return new PhysicalPlan(query, f, true);
        }
        Logical tree = logical();
        PhysicalNode root = plan(tree, Expr.conjuncts(query.where()));
        Set<Expr> needed = new LinkedHashSet<>();
        query.outputs().forEach(o -> collectRefs(o.expr(), needed));
        query.orderBy().forEach(o -> collectRefs(o.expr(), needed));
        assignLayout(root, needed);
        return new PhysicalPlan(query, root, false);
    }

    // ---- logical tree ----

    private sealed interface Logical {
    }

    private record LLeaf(BoundQuery.Relation relation) implements Logical {
    }

    private record LJoin(JoinType type, Logical left, Logical right, List<Expr> on) implements Logical {
    }

    private Logical logical() {
        Logical tree = new LLeaf(query.relations().get(0));
        for (int i = 1; i < query.relations().size(); i++) {
            BoundQuery.Relation r = query.relations().get(i);
            List<Expr> on = Expr.conjuncts(r.on());
            Logical leaf = new LLeaf(r);
            tree = switch (r.kind()) {
                case LEFT -> new LJoin(JoinType.LEFT, tree, leaf, on);
                case RIGHT -> new LJoin(JoinType.LEFT, leaf, tree, on);
                case FULL -> new LJoin(JoinType.FULL, tree, leaf, on);
                default -> new LJoin(JoinType.INNER, tree, leaf, on);
            };
        }
        return tree;
    }

    private PhysicalNode.From leftDeep(List<BoundQuery.Relation> rels) {
        PhysicalNode.From from = new PhysicalNode.Leaf(rels.get(0));
        for (int i = 1; i < rels.size(); i++) {
            BoundQuery.Relation r = rels.get(i);
            List<Expr> on = Expr.conjuncts(r.on());
            PhysicalNode.From leaf = new PhysicalNode.Leaf(r);
            from = switch (r.kind()) {
                case LEFT -> new PhysicalNode.Join(JoinType.LEFT, from, leaf, on);
                case RIGHT -> new PhysicalNode.Join(JoinType.RIGHT, from, leaf, on);
                case FULL -> new PhysicalNode.Join(JoinType.FULL, from, leaf, on);
                default -> new PhysicalNode.Join(JoinType.INNER, from, leaf, on);
            };
        }
        return from;
    }

    // ---- physical planning ----

    private PhysicalNode plan(Logical node, List<Expr> filters) {
        if (node instanceof LLeaf leaf) {
            PhysicalNode.Fragment f = fragment(new PhysicalNode.Leaf(leaf.relation()));
            f.where.addAll(filters);
            f.estimate = Estimates.fragment(f);
            return f;
        }
        LJoin join = (LJoin) node;
        if (join.type() == JoinType.INNER) {
            return planInnerRegion(join, filters);
        }
        BitSet leftRels = relations(join.left());
        BitSet rightRels = relations(join.right());
        List<Expr> toLeft = new ArrayList<>();
        List<Expr> above = new ArrayList<>();
        List<Expr> toRight = new ArrayList<>();
        List<Expr> on = new ArrayList<>();
        if (join.type() == JoinType.LEFT) {
            for (Expr f : filters) {
                (within(f, leftRels) ? toLeft : above).add(f);
            }
            for (Expr c : join.on()) {
                (within(c, rightRels) ? toRight : on).add(c);
            }
        } else {
            above.addAll(filters);
            on.addAll(join.on());
        }
        PhysicalNode left = plan(join.left(), toLeft);
        PhysicalNode right = plan(join.right(), toRight);
        return filter(joinOuter(join.type(), left, right, on), above);
    }

    private PhysicalNode joinOuter(JoinType type, PhysicalNode left, PhysicalNode right, List<Expr> on) {
        if (left instanceof PhysicalNode.Fragment l && right instanceof PhysicalNode.Fragment r
                && l.database.equals(r.database) && (type == JoinType.LEFT || l.where.isEmpty() && r.where.isEmpty())) {
            List<Expr> cond = new ArrayList<>(on);
            cond.addAll(r.where);
            PhysicalNode.Fragment merged = fragment(new PhysicalNode.Join(type, l.from, r.from, cond));
            merged.where.addAll(l.where);
            merged.estimate = Estimates.fragment(merged);
            return merged;
        }
        return hashJoin(type, left, right, on);
    }

    private PhysicalNode planInnerRegion(LJoin join, List<Expr> filters) {
        List<Logical> children = new ArrayList<>();
        List<Expr> conjuncts = new ArrayList<>(filters);
        flatten(join, children, conjuncts);
        List<PhysicalNode> units = new ArrayList<>();
        List<Expr> remaining = new ArrayList<>();
        List<BitSet> childRels = children.stream().map(this::relations).toList();
        List<List<Expr>> pushed = new ArrayList<>();
        children.forEach(c -> pushed.add(new ArrayList<>()));
        for (Expr c : conjuncts) {
            BitSet rels = refs(c);
            int target = -1;
            for (int i = 0; i < children.size() && !rels.isEmpty(); i++) {
                if (subset(rels, childRels.get(i))) {
                    target = i;
                }
            }
            (target >= 0 ? pushed.get(target) : remaining).add(c);
        }
        for (int i = 0; i < children.size(); i++) {
            units.add(plan(children.get(i), pushed.get(i)));
        }
        mergeSameDatabase(units, remaining);
        PhysicalNode acc = units.remove(0);
        while (!units.isEmpty()) {
            int best = -1;
            for (int i = 0; i < units.size(); i++) {
                if (!equiKeys(acc, units.get(i), remaining).isEmpty()
                        && (best < 0 || units.get(i).estimate() < units.get(best).estimate())) {
                    best = i;
                }
            }
            if (best < 0) {
                PhysicalNode next = units.get(0);
                throw new UnsupportedSqlException("join between databases without an equality condition ("
                        + names(acc) + " and " + names(next) + ")", 0, 0,
                        "Join tables of different databases with an equality between their columns");
            }
            PhysicalNode next = units.remove(best);
            BitSet both = (BitSet) acc.relations().clone();
            both.or(next.relations());
            List<Expr> on = new ArrayList<>();
            for (var it = remaining.iterator(); it.hasNext(); ) {
                Expr c = it.next();
                BitSet rels = refs(c);
                if (!rels.isEmpty() && subset(rels, both)) {
                    on.add(c);
                    it.remove();
                }
            }
            acc = hashJoin(JoinType.INNER, acc, next, on);
        }
        return filter(acc, remaining);
    }

    private void flatten(Logical node, List<Logical> children, List<Expr> conjuncts) {
        if (node instanceof LJoin j && j.type() == JoinType.INNER) {
            flatten(j.left(), children, conjuncts);
            flatten(j.right(), children, conjuncts);
            conjuncts.addAll(j.on());
        } else {
            children.add(node);
        }
    }

    /** Merges fragments of one database that a conjunct joins, until none is left to merge. */
    private void mergeSameDatabase(List<PhysicalNode> units, List<Expr> remaining) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Expr c : remaining) {
                BitSet rels = refs(c);
                List<PhysicalNode.Fragment> spanned = new ArrayList<>();
                boolean ok = !rels.isEmpty();
                for (PhysicalNode u : units) {
                    if (u.relations().intersects(rels)) {
                        if (u instanceof PhysicalNode.Fragment f
                                && (spanned.isEmpty() || spanned.get(0).database.equals(f.database))) {
                            spanned.add(f);
                        } else {
                            ok = false;
                        }
                    }
                }
                if (!ok || spanned.size() < 2) {
                    continue;
                }
                PhysicalNode.Fragment merged = spanned.get(0);
                int at = units.indexOf(merged);
                for (int i = 1; i < spanned.size(); i++) {
                    PhysicalNode.Fragment next = spanned.get(i);
                    PhysicalNode.Fragment m = fragment(new PhysicalNode.Join(JoinType.INNER, merged.from, next.from,
                            i == 1 ? List.of(c) : List.of()));
                    m.where.addAll(merged.where);
                    m.where.addAll(next.where);
                    units.remove(next);
                    merged = m;
                }
                units.set(at, merged);
                remaining.remove(c);
                // conditions now within the merged fragment join it as well
                for (var it = remaining.iterator(); it.hasNext(); ) {
                    Expr other = it.next();
                    BitSet r = refs(other);
                    if (!r.isEmpty() && subset(r, merged.relations)) {
                        merged.where.add(other);
                        it.remove();
                    }
                }
                merged.estimate = Estimates.fragment(merged);
                changed = true;
                break;
            }
        }
    }

    private PhysicalNode.Fragment fragment(PhysicalNode.From from) {
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

    private PhysicalNode filter(PhysicalNode node, List<Expr> filters) {
        if (filters.isEmpty()) {
            return node;
        }
        if (node instanceof PhysicalNode.Fragment f) {
            f.where.addAll(filters);
            f.estimate = f.estimate * Estimates.selectivity(filters);
            return f;
        }
        Expr predicate = Expr.and(filters);
        return new PhysicalNode.Filter(node, predicate, node.estimate() * Estimates.selectivity(filters));
    }

    /** The equality conjuncts usable as hash keys between two nodes, as pairs (left expr, right expr). */
    private List<Expr[]> equiKeys(PhysicalNode left, PhysicalNode right, List<Expr> conjuncts) {
        List<Expr[]> keys = new ArrayList<>();
        for (Expr c : conjuncts) {
            if (c instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ) {
                BitSet l = refs(b.left());
                BitSet r = refs(b.right());
                if (l.isEmpty() || r.isEmpty()) {
                    continue;
                }
                if (subset(l, left.relations()) && subset(r, right.relations())) {
                    keys.add(new Expr[] {b.left(), b.right(), c});
                } else if (subset(l, right.relations()) && subset(r, left.relations())) {
                    keys.add(new Expr[] {b.right(), b.left(), c});
                }
            }
        }
        return keys;
    }

    private PhysicalNode hashJoin(JoinType type, PhysicalNode left, PhysicalNode right, List<Expr> on) {
        List<Expr[]> keys = equiKeys(left, right, on);
        if (keys.isEmpty()) {
            throw new UnsupportedSqlException(type + " join between databases without an equality condition ("
                    + names(left) + " and " + names(right) + ")", 0, 0,
                    "Join tables of different databases with an equality between their columns");
        }
        List<Expr> residual = new ArrayList<>(on);
        keys.forEach(k -> residual.remove(k[2]));
        boolean buildLeft = left.estimate() <= right.estimate();
        PhysicalNode build = buildLeft ? left : right;
        PhysicalNode probe = buildLeft ? right : left;
        boolean probePreserved = type == JoinType.FULL || type == JoinType.LEFT && !buildLeft;
        String name = "join#" + (++joins) + " " + names(left) + " x " + names(right);
        boolean dynamic = false;
        if (dynamicFilterMaxKeys > 0 && !probePreserved && build.estimate() <= dynamicFilterMaxKeys
                && probe instanceof PhysicalNode.Fragment pf && pf.dynamicFilter == null) {
            for (int i = 0; i < keys.size(); i++) {
                Expr probeKey = buildLeft ? keys.get(i)[1] : keys.get(i)[0];
                if (probeKey instanceof Expr.Ref ref && (pf.dialect != dev.tributary.core.Dialect.POSTGRESQL
                        || query.relations().get(ref.relation()).table().columns().get(ref.column()).javaType() != Object.class)) {
                    keys.add(0, keys.remove(i));
                    var rel = query.relations().get(ref.relation());
                    pf.dynamicFilter = new PhysicalNode.DynamicFilter(ref,
                            rel.table().columns().get(ref.column()).javaType(), name);
                    dynamic = true;
                    break;
                }
            }
        }
        double estimate = switch (type) {
            case FULL -> left.estimate() + right.estimate();
            case LEFT -> Math.max(left.estimate(), right.estimate());
            default -> Math.max(1, Math.max(left.estimate(), right.estimate())
                    * Math.min(1.0, Math.min(left.estimate(), right.estimate()) / Math.max(1, baseRows(build))));
        };
        return new PhysicalNode.HashJoinNode(name, type, left, right, keys.stream().map(k -> k[0]).toList(),
                keys.stream().map(k -> k[1]).toList(), Expr.and(residual), buildLeft, dynamic, estimate);
    }

    private double baseRows(PhysicalNode node) {
        double max = 1;
        for (int i = node.relations().nextSetBit(0); i >= 0; i = node.relations().nextSetBit(i + 1)) {
            max = Math.max(max, query.relations().get(i).table().rowEstimate());
        }
        return max;
    }

    private String names(PhysicalNode node) {
        List<String> names = new ArrayList<>();
        for (int i = node.relations().nextSetBit(0); i >= 0; i = node.relations().nextSetBit(i + 1)) {
            names.add(query.relations().get(i).name());
        }
        return String.join("+", names);
    }

    // ---- layout (projection pushdown) ----

    private void assignLayout(PhysicalNode node, Set<Expr> needed) {
        if (node instanceof PhysicalNode.Filter f) {
            Set<Expr> more = new LinkedHashSet<>(needed);
            collectRefs(f.predicate(), more);
            assignLayout(f.input(), more);
        } else if (node instanceof PhysicalNode.HashJoinNode j) {
            Set<Expr> all = new LinkedHashSet<>(needed);
            if (j.residual != null) {
                collectRefs(j.residual, all);
            }
            assignLayout(j.left, side(all, j.left, j.leftKeys));
            assignLayout(j.right, side(all, j.right, j.rightKeys));
            j.layout.clear();
            j.layout.addAll(j.left.layout());
            j.layout.addAll(j.right.layout());
        } else if (node instanceof PhysicalNode.Fragment f) {
            f.id = ++fragments;
            TreeSet<Expr.Ref> refs = new TreeSet<>((a, b) -> a.relation() != b.relation()
                    ? Integer.compare(a.relation(), b.relation()) : Integer.compare(a.column(), b.column()));
            List<Expr> computed = new ArrayList<>();
            for (Expr e : needed) {
                if (e instanceof Expr.Ref r) {
                    if (f.relations.get(r.relation())) {
                        refs.add(r);
                    }
                } else if (!computed.contains(e)) {
                    computed.add(e);
                }
            }
            f.outputs.clear();
            f.outputs.addAll(refs);
            f.outputs.addAll(computed);
            if (f.outputs.isEmpty()) {
                f.outputs.add(new Expr.Literal(1));
            }
        }
    }

    private Set<Expr> side(Set<Expr> needed, PhysicalNode child, List<Expr> keys) {
        Set<Expr> out = new LinkedHashSet<>();
        for (Expr e : needed) {
            if (e instanceof Expr.Ref r && child.relations().get(r.relation())) {
                out.add(e);
            }
        }
        for (Expr k : keys) {
            if (k instanceof Expr.Ref) {
                out.add(k);
            } else if (child instanceof PhysicalNode.Fragment) {
                out.add(k);
            } else {
                throw new UnsupportedSqlException("join key expression " + k + " over a joined result", 0, 0,
                        "Use a column as the join key");
            }
        }
        return out;
    }

    // ---- expression helpers ----

    static void collectRefs(Expr e, Set<Expr> into) {
        e.forEach(x -> {
            if (x instanceof Expr.Ref) {
                into.add(x);
            }
        });
    }

    static BitSet refs(Expr e) {
        BitSet rels = new BitSet();
        e.forEach(x -> {
            if (x instanceof Expr.Ref r) {
                rels.set(r.relation());
            }
        });
        return rels;
    }

    private static boolean within(Expr e, BitSet rels) {
        BitSet r = refs(e);
        return !r.isEmpty() && subset(r, rels);
    }

    private static boolean subset(BitSet a, BitSet b) {
        BitSet x = (BitSet) a.clone();
        x.andNot(b);
        return x.isEmpty();
    }

    private BitSet relations(Logical node) {
        BitSet rels = new BitSet();
        if (node instanceof LLeaf leaf) {
            rels.set(leaf.relation().index());
        } else {
            LJoin j = (LJoin) node;
            rels.or(relations(j.left()));
            rels.or(relations(j.right()));
        }
        return rels;
    }

}
