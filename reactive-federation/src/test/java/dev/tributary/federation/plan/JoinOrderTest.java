package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.sql.Expr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinOrderTest {

    @Test
    void theSmallestUnitConnectedToWhatIsJoinedComesNext() {
        PlanPhases p = new PlanPhases("SELECT c.name FROM customers c, orders o, geo.regions r"
                + " WHERE o.customer_id = c.id AND r.country = c.country AND o.amount > r.region", 10_000);
        List<PhysicalNode> units = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            units.add(p.formation.leaf(p.relation(i), List.of()));
        }
        List<Expr> remaining = new ArrayList<>(p.where());
        var top = (PhysicalNode.HashJoinNode) new JoinOrder(p.ctx, p.choices).join(units, remaining);
        assertThat(top.name).isEqualTo("join#2 c+r x o");
        assertThat(((PhysicalNode.HashJoinNode) top.left).name).isEqualTo("join#1 c x r");
        assertThat(top.residual).isEqualTo(p.where().get(2));
        assertThat(remaining).isEmpty();
    }

    @Test
    void aUnitWithoutAnEqualityToTheOthersIsRefused() {
        PlanPhases p = new PlanPhases("SELECT c.name FROM customers c, orders o WHERE o.amount > c.id", 10_000);
        List<PhysicalNode> units = new ArrayList<>(List.of(p.formation.leaf(p.relation(0), List.of()),
                p.formation.leaf(p.relation(1), List.of())));
        assertThatThrownBy(() -> new JoinOrder(p.ctx, p.choices).join(units, new ArrayList<>(p.where())))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("join between databases without an equality condition (c and o)");
    }
}
