package dev.tributary.federation.plan;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The order of the hash joins of an inner-join region across databases, greedy: from the first unit, join
 * next the smallest estimated unit that an equality connects to what is joined so far; each join takes the
 * conditions that its two sides now cover.
 */
final class JoinOrder {

    private final PlanContext ctx;
    private final JoinChoices choices;

    JoinOrder(PlanContext ctx, JoinChoices choices) {
        this.ctx = ctx;
        this.choices = choices;
    }

    /**
     * Joins {@code units} (consumed) under {@code remaining} (consumed: the conditions not used as join
     * conditions are returned, to filter the result).
     *
     * @throws UnsupportedSqlException if a unit is connected to the others by no equality
     */
    PhysicalNode join(List<PhysicalNode> units, List<Expr> remaining) {
        PhysicalNode acc = units.remove(0);
        while (!units.isEmpty()) {
            int best = -1;
            for (int i = 0; i < units.size(); i++) {
                if (!choices.equiKeys(acc, units.get(i), remaining).isEmpty()
                        && (best < 0 || units.get(i).estimate() < units.get(best).estimate())) {
                    best = i;
                }
            }
            if (best < 0) {
                PhysicalNode next = units.get(0);
                throw new UnsupportedSqlException("join between databases without an equality condition ("
                        + ctx.names(acc) + " and " + ctx.names(next) + ")", 0, 0,
                        "Join tables of different databases with an equality between their columns");
            }
            PhysicalNode next = units.remove(best);
            BitSet both = (BitSet) acc.relations().clone();
            both.or(next.relations());
            List<Expr> on = new ArrayList<>();
            for (var it = remaining.iterator(); it.hasNext(); ) {
                Expr c = it.next();
                BitSet rels = Refs.of(c);
                if (!rels.isEmpty() && Refs.subset(rels, both)) {
                    on.add(c);
                    it.remove();
                }
            }
            acc = choices.hashJoin(JoinType.INNER, acc, next, on);
        }
        return acc;
    }
}
