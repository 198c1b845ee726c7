package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FragmentFormationTest {

    @Test
    void aFilterGoesIntoTheFragmentWhenItsDatabaseComputesItAsPostgresWould() {
        PlanPhases p = new PlanPhases("SELECT p.name FROM products p WHERE p.price < 3 AND p.price / 3 > 1", 10_000);
        PhysicalNode node = p.formation.leaf(p.relation(0), p.where());
        var filter = (PhysicalNode.Filter) node;
        assertThat(filter.predicate()).isEqualTo(p.where().get(1));
        assertThat(((PhysicalNode.Fragment) filter.input()).where).containsExactly(p.where().get(0));
    }

    @Test
    void tablesOfOneDatabaseJoinedToEachOtherMergeIntoOneFragment() {
        PlanPhases p = new PlanPhases("SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " JOIN order_lines l ON l.order_id = o.id WHERE l.qty > 2", 10_000);
        var join = (PhysicalNode.HashJoinNode) p.formation.from(p.query.from(), p.ons(), p.where());
        var pg = (PhysicalNode.Fragment) (join.left instanceof PhysicalNode.Fragment f && f.database.equals("orders")
                ? join.left : join.right);
        assertThat(pg.relations.stream().boxed().toList()).containsExactly(1, 2);
        assertThat(pg.from).isInstanceOf(PhysicalNode.Join.class);
        assertThat(pg.where).containsExactly(p.where().get(0));
    }

    @Test
    void aConditionOnTheNullSuppliedSideOfALeftJoinStaysAboveIt() {
        PlanPhases p = new PlanPhases("SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"
                + " AND o.amount > 5 WHERE o.status = 'x'", 10_000);
        var filter = (PhysicalNode.Filter) p.formation.from(p.query.from(), p.ons(), p.where());
        assertThat(filter.predicate()).isEqualTo(p.where().get(0));
        var join = (PhysicalNode.HashJoinNode) filter.input();
        assertThat(((PhysicalNode.Fragment) join.right).where).containsExactly(p.ons().get(1).get(1));
    }

    @Test
    void aLeftJoinInsideOneDatabaseIsWrittenIntoItsFragment() {
        PlanPhases p = new PlanPhases("SELECT o.id FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id", 10_000);
        var f = (PhysicalNode.Fragment) p.formation.from(p.query.from(), p.ons(), List.of());
        assertThat(((PhysicalNode.Join) f.from).type()).hasToString("LEFT");
    }
}
