package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.exec.JoinType;
import dev.tributary.federation.sql.Expr;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinChoicesTest {

    private static final String SQL = "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id AND o.amount > c.id";

    @Test
    void theSmallerSideBuildsAndItsKeysFilterTheProbeFragment() {
        PlanPhases p = new PlanPhases(SQL, 10_000);
        PhysicalNode c = p.formation.leaf(p.relation(0), List.of());
        PhysicalNode o = p.formation.leaf(p.relation(1), List.of());
        var join = (PhysicalNode.HashJoinNode) p.choices.hashJoin(JoinType.INNER, o, c, p.ons().get(1));
        assertThat(join.buildLeft).isFalse();
        assertThat(join.leftKeys).containsExactly(new Expr.Ref(1, 1));
        assertThat(join.residual).isEqualTo(p.ons().get(1).get(1));
        assertThat(join.dynamicFilter).isTrue();
        assertThat(((PhysicalNode.Fragment) o).dynamicFilters.get(0).column()).isEqualTo(new Expr.Ref(1, 1));
        assertThat(join.name).isEqualTo("join#1 o x c");
    }

    @Test
    void aBuildSideEstimatedAboveTheThresholdSendsNoKeys() {
        PlanPhases p = new PlanPhases(SQL, 100);
        PhysicalNode c = p.formation.leaf(p.relation(0), List.of());
        PhysicalNode o = p.formation.leaf(p.relation(1), List.of());
        var join = (PhysicalNode.HashJoinNode) p.choices.hashJoin(JoinType.INNER, c, o, p.ons().get(1));
        assertThat(join.buildLeft).isTrue();
        assertThat(join.dynamicFilter).isFalse();
        assertThat(((PhysicalNode.Fragment) o).dynamicFilters).isEmpty();
    }

    @Test
    void aJoinWithoutAnEqualityBetweenItsSidesIsRefused() {
        PlanPhases p = new PlanPhases(SQL, 10_000);
        PhysicalNode c = p.formation.leaf(p.relation(0), List.of());
        PhysicalNode o = p.formation.leaf(p.relation(1), List.of());
        assertThatThrownBy(() -> p.choices.hashJoin(JoinType.LEFT, c, o, p.ons().get(1).subList(1, 2)))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("LEFT join between databases without an equality condition (c and o)");
    }
}
