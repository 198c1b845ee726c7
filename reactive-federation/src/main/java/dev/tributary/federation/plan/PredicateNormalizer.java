package dev.tributary.federation.plan;

import dev.tributary.federation.catalog.ColumnInfo;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Normalizes the WHERE conjuncts of a block that spans databases, before they are pushed down. It only adds
 * or regroups what the conjunction implies under SQL's three-valued logic (a row passes WHERE only when the
 * condition is TRUE), so the rows that pass never change:
 * <ul>
 *   <li>a conjunct found in every branch of an OR is factored out:
 *       {@code (a AND b) OR (a AND c)} becomes {@code a AND (b OR c)} (Kleene logic is distributive), so a
 *       join key repeated in each branch becomes a join condition;</li>
 *   <li>when every branch of an OR has conjuncts on one relation alone, their OR is implied and added, to be
 *       pushed to that relation's source ({@code (p.brand = 'a' AND x) OR (p.brand = 'b' AND y)} adds
 *       {@code p.brand IN ('a', 'b')}); the OR itself still applies;</li>
 *   <li>equalities between columns of the same Java type (not blank-padded {@code CHAR}) close transitively ({@code a = b AND b = c} adds
 *       {@code a = c}), and a column equal to a literal or parameter passes it on to the columns equal to it
 *       ({@code a = b AND a = 5} adds {@code b = 5}).</li>
 * </ul>
 * Conjuncts with subqueries are left alone.
 */
final class PredicateNormalizer {

    /** Above this many branches an OR is left as written: planning stays cheap. */
    private static final int MAX_BRANCHES = 32;

    private final List<BoundQuery.Relation> relations;

    PredicateNormalizer(List<BoundQuery.Relation> relations) {
        this.relations = relations;
    }

    /**
     * The normalized conjuncts: those given, regrouped, followed by the ones implied by them and by
     * {@code facts} (conditions every row of the block satisfies too: the ON conditions of a block of inner
     * joins only).
     */
    List<Expr> normalize(List<Expr> conjuncts, List<Expr> facts) {
        List<Expr> out = new ArrayList<>();
        List<Expr> implied = new ArrayList<>();
        for (Expr c : conjuncts) {
            if (Refs.hasSubquery(c) || !(c instanceof Expr.Binary b && b.op() == Expr.BinaryOp.OR)) {
                out.add(c);
                continue;
            }
            disjunction(c, out, implied);
        }
        for (Expr e : implied) {
            if (!out.contains(e)) {
                out.add(e);
            }
        }
        List<Expr> known = new ArrayList<>(out);
        known.addAll(facts);
        for (Expr e : closure(known)) {
            if (!out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Factors the common conjuncts out of an OR (into {@code out}) and derives its single-relation parts. */
    private void disjunction(Expr or, List<Expr> out, List<Expr> implied) {
        List<Expr> disjuncts = new ArrayList<>();
        disjuncts(or, disjuncts);
        if (disjuncts.size() > MAX_BRANCHES) {
            out.add(or);
            return;
        }
        List<List<Expr>> branches = new ArrayList<>();
        for (Expr d : disjuncts) {
            branches.add(Expr.conjuncts(d));
        }
        List<Expr> common = new ArrayList<>();
        for (Expr c : branches.get(0)) {
            if (!common.contains(c) && branches.stream().allMatch(b -> b.contains(c))) {
                common.add(c);
            }
        }
        out.addAll(common);
        List<List<Expr>> rest = new ArrayList<>();
        for (List<Expr> b : branches) {
            List<Expr> r = new ArrayList<>(b);
            r.removeAll(common);
            if (r.isEmpty()) {
                return; // (a) OR (a AND x) is a
            }
            rest.add(r);
        }
        Expr residual = common.isEmpty() ? or : or(rest);
        out.add(residual);
        implied.addAll(singleRelationParts(rest));
    }

    private static void disjuncts(Expr e, List<Expr> into) {
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.OR) {
            disjuncts(b.left(), into);
            disjuncts(b.right(), into);
        } else {
            into.add(e);
        }
    }

    private static Expr or(List<List<Expr>> branches) {
        Expr result = null;
        for (List<Expr> b : branches) {
            Expr and = Expr.and(b);
            result = result == null ? and : new Expr.Binary(Expr.BinaryOp.OR, result, and);
        }
        return result;
    }

    /**
     * For each relation that every branch constrains alone, the OR of those constraints (an IN list when each
     * is {@code column = constant} on one column); none for an OR over one relation, already pushable.
     */
    private List<Expr> singleRelationParts(List<List<Expr>> branches) {
        BitSet all = new BitSet();
        List<Map<Integer, List<Expr>>> byRelation = new ArrayList<>();
        for (List<Expr> b : branches) {
            Map<Integer, List<Expr>> parts = new LinkedHashMap<>();
            for (Expr c : b) {
                BitSet rels = Refs.of(c);
                all.or(rels);
                if (rels.cardinality() == 1 && !Refs.hasSubquery(c)) {
                    parts.computeIfAbsent(rels.nextSetBit(0), k -> new ArrayList<>()).add(c);
                }
            }
            byRelation.add(parts);
        }
        List<Expr> derived = new ArrayList<>();
        if (all.cardinality() < 2) {
            return derived;
        }
        for (int rel : byRelation.get(0).keySet()) {
            if (byRelation.stream().allMatch(p -> p.containsKey(rel))) {
                List<List<Expr>> parts = byRelation.stream().map(p -> p.get(rel)).toList();
                Expr in = inList(parts);
                derived.add(in != null ? in : or(parts));
            }
        }
        return derived;
    }

    /** {@code col IN (v1, v2, ...)} when each part is one {@code col = constant} of the same column. */
    private static @Nullable Expr inList(List<List<Expr>> parts) {
        Expr column = null;
        Set<Expr> values = new LinkedHashSet<>();
        for (List<Expr> p : parts) {
            Expr[] eq = p.size() == 1 ? columnEqualsConstant(p.get(0)) : null;
            if (eq == null || column != null && !column.equals(eq[0])) {
                return null;
            }
            column = eq[0];
            values.add(eq[1]);
        }
        return values.size() == 1 ? new Expr.Binary(Expr.BinaryOp.EQ, column, values.iterator().next())
                : new Expr.InList(column, List.copyOf(values), false);
    }

    /** {@code [column, constant]} for {@code column = constant} or {@code constant = column}, else {@code null}. */
    private static Expr @Nullable [] columnEqualsConstant(Expr e) {
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ) {
            if (b.left() instanceof Expr.Ref && constant(b.right())) {
                return new Expr[] {b.left(), b.right()};
            }
            if (b.right() instanceof Expr.Ref && constant(b.left())) {
                return new Expr[] {b.right(), b.left()};
            }
        }
        return null;
    }

    /** A non-NULL literal or a parameter of the statement (not a subplan's value). */
    private static boolean constant(Expr e) {
        return e instanceof Expr.Literal l && l.value() != null
                || e instanceof Expr.Param p && (p.name() == null || !p.name().startsWith("#"));
    }

    /** The equalities implied by the column equalities among {@code conjuncts}, transitively. */
    private List<Expr> closure(List<Expr> conjuncts) {
        Map<Expr.Ref, Expr.Ref> parent = new HashMap<>();
        List<Expr[]> constants = new ArrayList<>();
        for (Expr c : conjuncts) {
            if (c instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ) {
                if (b.left() instanceof Expr.Ref l && b.right() instanceof Expr.Ref r && !l.equals(r)
                        && typed(l) && javaType(l) == javaType(r)) {
                    union(parent, l, r);
                } else {
                    Expr[] eq = columnEqualsConstant(c);
                    if (eq != null && typed((Expr.Ref) eq[0])) {
                        constants.add(eq);
                    }
                }
            }
        }
        List<Expr> derived = new ArrayList<>();
        if (parent.isEmpty()) {
            return derived;
        }
        Map<Expr.Ref, List<Expr.Ref>> classes = new LinkedHashMap<>();
        for (Expr.Ref r : parent.keySet()) {
            classes.computeIfAbsent(find(parent, r), k -> new ArrayList<>()).add(r);
        }
        for (List<Expr.Ref> members : classes.values()) {
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    Expr.Ref a = members.get(i);
                    Expr.Ref b = members.get(j);
                    if (!conjuncts.contains(eq(b, a))) {
                        add(derived, eq(a, b));
                    }
                }
            }
        }
        for (Expr[] k : constants) {
            Expr.Ref column = (Expr.Ref) k[0];
            if (!parent.containsKey(column)) {
                continue;
            }
            for (Expr.Ref other : classes.get(find(parent, column))) {
                if (!other.equals(column) && !conjuncts.contains(eq(k[1], other))) {
                    add(derived, eq(other, k[1]));
                }
            }
        }
        derived.removeAll(conjuncts);
        return derived;
    }

    private static Expr eq(Expr a, Expr b) {
        return new Expr.Binary(Expr.BinaryOp.EQ, a, b);
    }

    private static void add(List<Expr> into, Expr e) {
        if (!into.contains(e)) {
            into.add(e);
        }
    }

    /**
     * Whether a column's equalities may be passed on: its Java type is known, and it is not blank-padded
     * ({@code CHAR(n)} compares ignoring trailing spaces in its database, not in memory).
     */
    private boolean typed(Expr.Ref r) {
        ColumnInfo column = relations.get(r.relation()).table().columns().get(r.column());
        String type = column.dataType().toLowerCase(Locale.ROOT);
        boolean padded = type.equals("character") || type.equals("bpchar") || type.equals("char")
                || type.equals("nchar") || type.startsWith("char(") || type.startsWith("character(");
        return column.javaType() != Object.class && !padded;
    }

    private Class<?> javaType(Expr.Ref r) {
        return relations.get(r.relation()).table().columns().get(r.column()).javaType();
    }

    private static void union(Map<Expr.Ref, Expr.Ref> parent, Expr.Ref a, Expr.Ref b) {
        parent.putIfAbsent(a, a);
        parent.putIfAbsent(b, b);
        Expr.Ref ra = find(parent, a);
        Expr.Ref rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }

    private static Expr.Ref find(Map<Expr.Ref, Expr.Ref> parent, Expr.Ref r) {
        Expr.Ref p = parent.get(r);
        return p.equals(r) ? r : find(parent, p);
    }
}
