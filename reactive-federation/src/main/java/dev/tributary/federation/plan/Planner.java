package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.exec.HashJoin;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

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
    private final List<PhysicalPlan.Subplan> subplans = new ArrayList<>();
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
        PhysicalNode root = block(query, null);
        for (PhysicalPlan.Subplan s : subplans) {
            assignLayout(s.root(), Set.of());
        }
        assignLayout(root, Set.of());
        boolean whole = root instanceof PhysicalNode.Fragment f && f.whole == query;
        return new PhysicalPlan(query, root, whole, subplans);
    }

    // ---- blocks ----

    /** A semi, anti or NOT IN join of a block with a subquery relation: {@code outer[i] = inner[i]}. */
    private record Semi(JoinType type, BoundQuery.Relation relation, List<Expr> outer, List<Expr> inner) {
    }

    /**
     * Plans one SELECT block. {@code as} is the derived relation whose rows it produces (its layout is that
     * relation's columns), or {@code null} for the statement or a subplan (its layout is its output expressions).
     */
    private PhysicalNode block(BoundQuery b, BoundQuery.@Nullable Relation as) {
        List<Expr> layout = new ArrayList<>();
        if (as == null) {
            b.outputs().forEach(o -> layout.add(o.expr()));
        } else {
            for (int i = 0; i < b.outputs().size(); i++) {
                layout.add(new Expr.Ref(as.index(), i));
            }
        }
        BitSet rels = new BitSet();
        if (as != null) {
            rels.set(as.index());
        } else {
            b.from().forEach(r -> rels.set(r.index()));
        }
        String single = DerivedTables.database(b, query.relations());
        if (single != null && Pushdown.body(b, catalog.dialect(single), query.relations())) {
            PhysicalNode.Fragment f = fragment(leftDeep(b.from()));
            f.whole = b;
            f.outputs.addAll(layout);
            f.relations.clear();
            f.relations.or(rels);
            f.estimate = Estimates.fragment(f) * Estimates.selectivity(Expr.conjuncts(b.where()));
            if (b.aggregated()) {
                f.estimate = b.groupBy().isEmpty() ? 1 : Math.max(1, f.estimate / 10);
            }
            if (b.limit() instanceof Expr.Literal lit && lit.value() instanceof Number n) {
                f.estimate = Math.min(f.estimate, n.doubleValue());
            }
            return f;
        }
        List<Expr> conjuncts = new ArrayList<>();
        List<Semi> semis = new ArrayList<>();
        for (Expr c : Expr.conjuncts(b.where())) {
            if (!hasSubquery(c) || pushable(c, b)) {
                conjuncts.add(c);
                continue;
            }
            Semi semi = semi(c, b);
            if (semi != null) {
                semis.add(semi);
            } else {
                conjuncts.add(precompute(c));
            }
        }
        BoundQuery block = b.map(this::precompute);
        List<List<Expr>> ons = new ArrayList<>();
        for (BoundQuery.Relation r : b.from()) {
            ons.add(Expr.conjuncts(r.on() == null ? null : precompute(r.on())));
        }
        PhysicalNode node = from(b.from(), ons, conjuncts);
        for (Semi semi : semis) {
            PhysicalNode right = leaf(semi.relation(), List.of());
            List<Expr> on = new ArrayList<>();
            for (int i = 0; i < semi.outer().size(); i++) {
                on.add(new Expr.Binary(Expr.BinaryOp.EQ, semi.outer().get(i), semi.inner().get(i)));
            }
            node = hashJoin(semi.type(), node, right, on);
        }
        if (block.aggregated()) {
            List<Expr.Agg> calls = new ArrayList<>();
            block.outputs().forEach(o -> aggregates(o.expr(), calls));
            if (block.having() != null) {
                aggregates(block.having(), calls);
            }
            block.orderBy().forEach(o -> aggregates(o.expr(), calls));
            List<Expr> aggLayout = new ArrayList<>(block.groupBy());
            aggLayout.addAll(calls);
            double estimate = block.groupBy().isEmpty() ? 1 : Math.max(1, node.estimate() / 10);
            node = new PhysicalNode.Aggregate(node, block.groupBy(), calls, aggLayout, estimate);
            if (block.having() != null) {
                node = filter(node, Expr.conjuncts(block.having()));
            }
        }
        double estimate = node.estimate();
        if (block.limit() instanceof Expr.Literal lit && lit.value() instanceof Number n) {
            estimate = Math.min(estimate, n.doubleValue());
        }
        return new PhysicalNode.Finish(node, block, layout, rels, estimate);
    }

    /** Plans a UNION [ALL] producing the rows of derived relation {@code as}. */
    private PhysicalNode union(BoundSet set, BoundQuery.Relation as) {
        List<PhysicalNode> inputs = new ArrayList<>();
        addUnionInput(set.left(), set.all(), as, inputs);
        addUnionInput(set.right(), set.all(), as, inputs);
        List<Expr> layout = new ArrayList<>();
        for (int i = 0; i < set.columnNames().size(); i++) {
            layout.add(new Expr.Ref(as.index(), i));
        }
        BitSet rels = new BitSet();
        rels.set(as.index());
        double estimate = inputs.stream().mapToDouble(PhysicalNode::estimate).sum();
        return new PhysicalNode.Union(inputs, set.all(), layout, rels, estimate);
    }

    private void addUnionInput(BoundBody body, boolean all, BoundQuery.Relation as, List<PhysicalNode> inputs) {
        if (body instanceof BoundSet s && s.all() == all) {
            addUnionInput(s.left(), all, as, inputs);
            addUnionInput(s.right(), all, as, inputs);
        } else if (body instanceof BoundSet s) {
            inputs.add(union(s, as));
        } else {
            inputs.add(block((BoundQuery) body, as));
        }
    }

    /** The plan of a relation of FROM with the filters on it alone. */
    private PhysicalNode leaf(BoundQuery.Relation r, List<Expr> filters) {
        if (!inFragment(r)) {
            PhysicalNode derived = r.derived() instanceof BoundSet set ? union(set, r) : block((BoundQuery) r.derived(), r);
            return filter(derived, filters);
        }
        PhysicalNode.Fragment f = fragment(new PhysicalNode.Leaf(r));
        f.estimate = Estimates.fragment(f);
        return filter(f, filters);
    }

    /**
     * Whether a relation is read by a fragment: a table, or a derived table whose query lies in one database
     * that computes it as PostgreSQL would.
     */
    private boolean inFragment(BoundQuery.Relation r) {
        return !r.federated() && (r.derived() == null
                || Pushdown.body(r.derived(), catalog.dialect(r.database()), query.relations()));
    }

    private boolean pushable(Expr e, PhysicalNode.Fragment f) {
        return Pushdown.expr(e, f.dialect, query.relations());
    }

    private static void aggregates(Expr e, List<Expr.Agg> into) {
        e.forEach(x -> {
            if (x instanceof Expr.Agg a && !into.contains(a)) {
                into.add(a);
            }
        });
    }

    // ---- subqueries ----

    private static boolean hasSubquery(Expr e) {
        boolean[] found = {false};
        e.forEach(x -> found[0] |= x instanceof Expr.ScalarSubquery || x instanceof Expr.Exists
                || x instanceof Expr.InSubquery);
        return found[0];
    }

    private static void subqueries(Expr e, List<BoundBody> into) {
        e.forEach(x -> {
            if (x instanceof Expr.ScalarSubquery s) {
                into.add((BoundBody) s.query());
            } else if (x instanceof Expr.Exists s) {
                into.add((BoundBody) s.query());
            } else if (x instanceof Expr.InSubquery s) {
                into.add((BoundBody) s.query());
            }
        });
    }

    /**
     * Whether a conjunct with subqueries can go to a fragment as SQL: its subqueries and the one relation of
     * this block it refers to all live in one database, and no outer join could keep it from that fragment.
     */
    private boolean pushable(Expr c, BoundQuery b) {
        if (b.from().stream().anyMatch(r -> r.kind() == SelectQuery.JoinKind.LEFT
                || r.kind() == SelectQuery.JoinKind.RIGHT || r.kind() == SelectQuery.JoinKind.FULL)) {
            return false;
        }
        List<BoundBody> bodies = new ArrayList<>();
        subqueries(c, bodies);
        Set<String> dbs = new LinkedHashSet<>();
        for (BoundBody body : bodies) {
            String db = DerivedTables.database(body, query.relations());
            if (db == null) {
                return false;
            }
            dbs.add(db);
        }
        BitSet outer = refs(c);
        if (dbs.size() != 1 || outer.cardinality() != 1) {
            return false;
        }
        BoundQuery.Relation r = query.relations().get(outer.nextSetBit(0));
        return b.from().contains(r) && inFragment(r) && dbs.contains(r.database())
                && Pushdown.expr(c, catalog.dialect(r.database()), query.relations());
    }

    /** The semi, anti or NOT IN join for an [NOT] EXISTS or [NOT] IN conjunct; {@code null} if it is none. */
    private @Nullable Semi semi(Expr c, BoundQuery b) {
        boolean anti = c instanceof Expr.Not n && n.operand() instanceof Expr.Exists;
        Expr x = anti ? ((Expr.Not) c).operand() : c;
        if (x instanceof Expr.Exists e && e.query() instanceof BoundQuery q) {
            Decorrelated d = decorrelate(q, b);
            if (d == null) {
                return null;
            }
            List<BoundQuery.Output> outputs = new ArrayList<>();
            for (int i = 0; i < d.inner().size(); i++) {
                outputs.add(new BoundQuery.Output("k" + (i + 1), d.inner().get(i)));
            }
            return semi(anti ? JoinType.ANTI : JoinType.SEMI, q.with(d.where(), outputs, false), d.outer());
        }
        if (x instanceof Expr.InSubquery in) {
            BoundBody body = (BoundBody) in.query();
            List<Expr> outer = new ArrayList<>();
            outer.add(precompute(in.operand()));
            if (body instanceof BoundQuery q) {
                Decorrelated d = decorrelate(q, b);
                if (d != null) {
                    if (in.negated()) {
                        throw new UnsupportedSqlException("correlated NOT IN (subquery) across databases", 0, 0,
                                "Rewrite it as NOT EXISTS with the equality inside the subquery");
                    }
                    List<BoundQuery.Output> outputs = new ArrayList<>(q.outputs().subList(0, 1));
                    for (int i = 0; i < d.inner().size(); i++) {
                        outputs.add(new BoundQuery.Output("k" + (i + 1), d.inner().get(i)));
                    }
                    body = q.with(d.where(), outputs, q.distinct());
                    outer.addAll(d.outer());
                }
            } else if (!outerRefs(body).isEmpty()) {
                throw new UnsupportedSqlException("correlated UNION subquery across databases", 0, 0,
                        "Only uncorrelated UNION subqueries can be planned across databases");
            }
            return semi(in.negated() ? JoinType.NOT_IN : JoinType.SEMI, body, outer);
        }
        return null;
    }

    private Semi semi(JoinType type, BoundBody body, List<Expr> outer) {
        BoundQuery.Relation r = query.register("subquery", DerivedTables.table("subquery", body, query.relations()),
                body);
        List<Expr> inner = new ArrayList<>();
        for (int i = 0; i < outer.size(); i++) {
            inner.add(new Expr.Ref(r.index(), i));
        }
        return new Semi(type, r, outer, inner);
    }

    /** A subquery's WHERE without its correlation, and the correlation as pairs {@code outer = inner}. */
    private record Decorrelated(@Nullable Expr where, List<Expr> outer, List<Expr> inner) {
    }

    /** Splits the correlation out of a subquery's WHERE; {@code null} when it is not correlated. */
    private @Nullable Decorrelated decorrelate(BoundQuery q, BoundQuery b) {
        BitSet range = new BitSet();
        range.set(q.firstRelation(), q.endRelation());
        BitSet parent = new BitSet();
        b.from().forEach(r -> parent.set(r.index()));
        List<Expr> elsewhere = new ArrayList<>();
        q.outputs().forEach(o -> elsewhere.add(o.expr()));
        elsewhere.addAll(q.groupBy());
        q.orderBy().forEach(o -> elsewhere.add(o.expr()));
        if (q.having() != null) {
            elsewhere.add(q.having());
        }
        q.from().forEach(r -> {
            if (r.on() != null) {
                elsewhere.add(r.on());
            }
        });
        for (Expr e : elsewhere) {
            if (outside(refs(e), range)) {
                throw correlated(e, "outside WHERE");
            }
        }
        for (BoundQuery.Relation r : q.from()) {
            if (r.derived() != null && outside(outerRefs(r.derived()), range)) {
                throw correlated(null, "in a derived table");
            }
        }
        List<Expr> keep = new ArrayList<>();
        List<Expr> outer = new ArrayList<>();
        List<Expr> inner = new ArrayList<>();
        for (Expr w : Expr.conjuncts(q.where())) {
            if (!outside(refs(w), range)) {
                keep.add(w);
                continue;
            }
            if (!(w instanceof Expr.Binary eq && eq.op() == Expr.BinaryOp.EQ)) {
                throw correlated(w, "other than an equality");
            }
            BitSet l = refs(eq.left());
            BitSet r = refs(eq.right());
            if (subset(l, parent) && !l.isEmpty() && subset(r, range) && !r.isEmpty()) {
                outer.add(eq.left());
                inner.add(eq.right());
            } else if (subset(r, parent) && !r.isEmpty() && subset(l, range) && !l.isEmpty()) {
                outer.add(eq.right());
                inner.add(eq.left());
            } else {
                throw correlated(w, "other than an equality between an outer and an inner column");
            }
        }
        if (outer.isEmpty()) {
            return null;
        }
        if (q.aggregated() || q.limit() != null || q.offset() != null) {
            throw correlated(null, "with an aggregate or LIMIT");
        }
        return new Decorrelated(Expr.and(keep), outer, inner);
    }

    private UnsupportedSqlException correlated(@Nullable Expr e, String what) {
        return new UnsupportedSqlException("correlated subquery condition " + what
                + (e == null ? "" : " (" + ExprText.of(e, query) + ")") + " in a query across databases", 0, 0,
                "Across databases a subquery may refer to the outer query only in WHERE equalities (inner.col = outer.col)"
                        + " of an [NOT] EXISTS or IN; or put its tables in the outer table's database");
    }

    private static boolean outside(BitSet refs, BitSet range) {
        return !subset(refs, range);
    }

    /** Replaces uncorrelated scalar and EXISTS subqueries by the parameters their subplans bind. */
    private Expr precompute(Expr e) {
        if (!hasSubquery(e)) {
            return e;
        }
        return e.rewrite(x -> {
            if (x instanceof Expr.ScalarSubquery s) {
                return subplan((BoundBody) s.query(), false);
            }
            if (x instanceof Expr.Exists s) {
                return subplan((BoundBody) s.query(), true);
            }
            if (x instanceof Expr.InSubquery) {
                throw new UnsupportedSqlException("IN (subquery) inside OR, NOT or another expression, in a query"
                        + " across databases", 0, 0, "Use [NOT] IN (subquery) as a condition of its own, AND-ed in WHERE");
            }
            return x;
        });
    }

    private Expr subplan(BoundBody body, boolean exists) {
        if (!outerRefs(body).isEmpty()) {
            throw new UnsupportedSqlException("correlated " + (exists ? "EXISTS" : "scalar subquery")
                    + " outside a WHERE condition of its own, in a query across databases", 0, 0,
                    "Across databases only uncorrelated subqueries can be used as values; use [NOT] EXISTS as a"
                            + " condition AND-ed in WHERE, or put the tables in one database");
        }
        String name = "#subquery" + (subplans.size() + 1);
        BoundQuery.Relation r = query.register("subquery", DerivedTables.table("subquery", body, query.relations()),
                body);
        PhysicalNode root = body instanceof BoundSet set ? union(set, r) : block((BoundQuery) body, r);
        subplans.add(new PhysicalPlan.Subplan(name, exists, root));
        return new Expr.Param(-1, name);
    }

    // ---- logical tree ----

    private sealed interface Logical {
    }

    private record LLeaf(BoundQuery.Relation relation) implements Logical {
    }

    private record LJoin(JoinType type, Logical left, Logical right, List<Expr> on) implements Logical {
    }

    /** The join tree of a block's FROM with the WHERE conjuncts pushed as far down as semantics allow. */
    private PhysicalNode from(List<BoundQuery.Relation> from, List<List<Expr>> ons, List<Expr> conjuncts) {
        return plan(logical(from, ons), conjuncts);
    }

    private Logical logical(List<BoundQuery.Relation> from, List<List<Expr>> ons) {
        Logical tree = new LLeaf(from.get(0));
        for (int i = 1; i < from.size(); i++) {
            BoundQuery.Relation r = from.get(i);
            List<Expr> on = ons.get(i);
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

    private static PhysicalNode.From leftDeep(List<BoundQuery.Relation> rels) {
        return PhysicalNode.tree(rels);
    }

    // ---- physical planning ----

    private PhysicalNode plan(Logical node, List<Expr> filters) {
        if (node instanceof LLeaf leaf) {
            return leaf(leaf.relation(), filters);
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
                && l.database.equals(r.database) && (type == JoinType.LEFT || l.where.isEmpty() && r.where.isEmpty())
                && on.stream().allMatch(c -> pushable(c, l))) {
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
                if (!ok || spanned.size() < 2 || !pushable(c, spanned.get(0))) {
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
                    if (!r.isEmpty() && subset(r, merged.relations) && pushable(other, merged)) {
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
        if (node instanceof PhysicalNode.Fragment f && f.whole == null) {
            List<Expr> inMemory = new ArrayList<>();
            for (Expr c : filters) {
                (pushable(c, f) ? f.where : inMemory).add(c);
            }
            f.estimate = f.estimate * Estimates.selectivity(filters);
            if (inMemory.isEmpty()) {
                return f;
            }
            return new PhysicalNode.Filter(f, Expr.and(inMemory), f.estimate);
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
        boolean probePreserved = !HashJoin.dynamicFilterApplies(type, buildLeft ? HashJoin.Side.LEFT : HashJoin.Side.RIGHT);
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
            case SEMI, ANTI, NOT_IN -> Math.max(1, left.estimate() / 2);
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
        } else if (node instanceof PhysicalNode.Finish f) {
            Set<Expr> more = new LinkedHashSet<>();
            f.block().outputs().forEach(o -> collectRefs(o.expr(), more));
            f.block().orderBy().forEach(o -> collectRefs(o.expr(), more));
            assignLayout(f.input(), more);
        } else if (node instanceof PhysicalNode.Aggregate a) {
            Set<Expr> more = new LinkedHashSet<>();
            a.groupBy().forEach(g -> collectRefs(g, more));
            a.calls().forEach(c -> collectRefs(c, more));
            assignLayout(a.input(), more);
        } else if (node instanceof PhysicalNode.Union u) {
            u.inputs().forEach(i -> assignLayout(i, Set.of()));
        } else if (node instanceof PhysicalNode.HashJoinNode j) {
            Set<Expr> all = new LinkedHashSet<>(needed);
            if (j.residual != null) {
                collectRefs(j.residual, all);
            }
            assignLayout(j.left, side(all, j.left, j.leftKeys));
            assignLayout(j.right, side(all, j.right, j.rightKeys));
            j.layout.clear();
            j.layout.addAll(j.left.layout());
            if (!j.type.leftOnly()) {
                j.layout.addAll(j.right.layout());
            }
        } else if (node instanceof PhysicalNode.Fragment f) {
            f.id = ++fragments;
            if (f.whole != null) {
                return;
            }
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

    /** The relations an expression refers to, including the outer references of its subqueries. */
    static BitSet refs(Expr e) {
        BitSet rels = new BitSet();
        e.forEach(x -> {
            if (x instanceof Expr.Ref r) {
                rels.set(r.relation());
            } else if (x instanceof Expr.ScalarSubquery s) {
                rels.or(outerRefs((BoundBody) s.query()));
            } else if (x instanceof Expr.Exists s) {
                rels.or(outerRefs((BoundBody) s.query()));
            } else if (x instanceof Expr.InSubquery s) {
                rels.or(outerRefs((BoundBody) s.query()));
            }
        });
        return rels;
    }

    /** The relations outside a query that it refers to: its correlation. */
    static BitSet outerRefs(BoundBody body) {
        BitSet rels = new BitSet();
        if (body instanceof BoundSet s) {
            rels.or(outerRefs(s.left()));
            rels.or(outerRefs(s.right()));
        } else {
            BoundQuery q = (BoundQuery) body;
            q.forEachExpr(e -> rels.or(refs(e)));
            for (BoundQuery.Relation r : q.from()) {
                if (r.derived() != null) {
                    rels.or(outerRefs(r.derived()));
                }
            }
        }
        rels.clear(body.firstRelation(), body.endRelation());
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
