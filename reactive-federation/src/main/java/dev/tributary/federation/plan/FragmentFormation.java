package dev.tributary.federation.plan;

import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * Fragment formation and predicate pushdown for the FROM of a block that spans databases: builds the
 * logical join tree, pushes each WHERE conjunct as far down as outer join semantics allow, merges the tables
 * of one database that are joined to each other into one fragment (with their joins and every pushable
 * predicate on them alone), and leaves to {@link JoinOrder} and {@link JoinChoices} how the fragments are
 * joined.
 */
final class FragmentFormation {

    private final PlanContext ctx;
    private final JoinChoices choices;
    private final JoinOrder order;
    private final Function<BoundQuery.Relation, PhysicalNode> derived;

    /** {@code derived} plans a derived table that no fragment can read. */
    FragmentFormation(PlanContext ctx, JoinChoices choices, Function<BoundQuery.Relation, PhysicalNode> derived) {
        this.ctx = ctx;
        this.choices = choices;
        this.order = new JoinOrder(ctx, choices);
        this.derived = derived;
    }

    private sealed interface Logical {
    }

    private record LLeaf(BoundQuery.Relation relation) implements Logical {
    }

    private record LJoin(JoinType type, Logical left, Logical right, List<Expr> on) implements Logical {
    }

    /**
     * The plan of a block's FROM ({@code ons[i]} the ON conjuncts of {@code from[i]}) under the WHERE
     * {@code conjuncts}.
     */
    PhysicalNode from(List<BoundQuery.Relation> from, List<List<Expr>> ons, List<Expr> conjuncts) {
        return plan(logical(from, ons), conjuncts);
    }

    /** The plan of a relation of FROM with the filters on it alone. */
    PhysicalNode leaf(BoundQuery.Relation r, List<Expr> filters) {
        if (!ctx.inFragment(r)) {
            return filter(derived.apply(r), filters);
        }
        PhysicalNode.Fragment f = ctx.fragment(new PhysicalNode.Leaf(r));
        f.estimate = Estimates.fragment(f);
        return filter(f, filters);
    }

    /**
     * {@code node} filtered: into a fragment (not a whole block) goes each filter its database can compute,
     * the rest runs in memory above it.
     */
    PhysicalNode filter(PhysicalNode node, List<Expr> filters) {
        if (filters.isEmpty()) {
            return node;
        }
        if (node instanceof PhysicalNode.Fragment f && f.whole == null) {
            List<Expr> inMemory = new ArrayList<>();
            for (Expr c : filters) {
                (ctx.pushable(c, f) ? f.where : inMemory).add(c);
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

    private PhysicalNode plan(Logical node, List<Expr> filters) {
        if (node instanceof LLeaf leaf) {
            return leaf(leaf.relation(), filters);
        }
        LJoin join = (LJoin) node;
        if (join.type() == JoinType.INNER) {
            return innerRegion(join, filters);
        }
        BitSet leftRels = relations(join.left());
        BitSet rightRels = relations(join.right());
        List<Expr> toLeft = new ArrayList<>();
        List<Expr> above = new ArrayList<>();
        List<Expr> toRight = new ArrayList<>();
        List<Expr> on = new ArrayList<>();
        if (join.type() == JoinType.LEFT) {
            for (Expr f : filters) {
                (Refs.within(f, leftRels) ? toLeft : above).add(f);
            }
            for (Expr c : join.on()) {
                (Refs.within(c, rightRels) ? toRight : on).add(c);
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
                && on.stream().allMatch(c -> ctx.pushable(c, l))) {
            List<Expr> cond = new ArrayList<>(on);
            cond.addAll(r.where);
            PhysicalNode.Fragment merged = ctx.fragment(new PhysicalNode.Join(type, l.from, r.from, cond));
            merged.where.addAll(l.where);
            merged.estimate = Estimates.fragment(merged);
            return merged;
        }
        return choices.hashJoin(type, left, right, on);
    }

    /** A region of inner joins: each conjunct goes to the one child it covers, the rest join the children. */
    private PhysicalNode innerRegion(LJoin join, List<Expr> filters) {
        List<Logical> children = new ArrayList<>();
        List<Expr> conjuncts = new ArrayList<>(filters);
        flatten(join, children, conjuncts);
        List<PhysicalNode> units = new ArrayList<>();
        List<Expr> remaining = new ArrayList<>();
        List<BitSet> childRels = children.stream().map(this::relations).toList();
        List<List<Expr>> pushed = new ArrayList<>();
        children.forEach(c -> pushed.add(new ArrayList<>()));
        for (Expr c : conjuncts) {
            BitSet rels = Refs.of(c);
            int target = -1;
            for (int i = 0; i < children.size() && !rels.isEmpty(); i++) {
                if (Refs.subset(rels, childRels.get(i))) {
                    target = i;
                }
            }
            (target >= 0 ? pushed.get(target) : remaining).add(c);
        }
        for (int i = 0; i < children.size(); i++) {
            units.add(plan(children.get(i), pushed.get(i)));
        }
        mergeSameDatabase(units, remaining);
        PhysicalNode joined = order.join(units, remaining);
        return filter(joined, remaining);
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
                BitSet rels = Refs.of(c);
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
                if (!ok || spanned.size() < 2 || !ctx.pushable(c, spanned.get(0))) {
                    continue;
                }
                PhysicalNode.Fragment merged = spanned.get(0);
                int at = units.indexOf(merged);
                for (int i = 1; i < spanned.size(); i++) {
                    PhysicalNode.Fragment next = spanned.get(i);
                    PhysicalNode.Fragment m = ctx.fragment(new PhysicalNode.Join(JoinType.INNER, merged.from, next.from,
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
                    BitSet r = Refs.of(other);
                    if (!r.isEmpty() && Refs.subset(r, merged.relations) && ctx.pushable(other, merged)) {
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
