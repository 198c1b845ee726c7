package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.federation.sql.Expr;
import org.junit.jupiter.api.Test;

class LayoutTest {

    @Test
    void eachFragmentSelectsTheColumnsItsParentsNeedInRelationAndColumnOrder() {
        PlanPhases p = new PlanPhases("SELECT o.status, c.name, o.amount FROM customers c JOIN orders o"
                + " ON o.customer_id = c.id", 10_000);
        PhysicalNode node = p.formation.from(p.query.from(), p.ons(), p.where());
        var finish = new PhysicalNode.Finish(node, p.query, p.query.outputs().stream().map(o -> o.expr()).toList(),
                node.relations(), node.estimate());
        new Layout().assign(finish);
        var join = (PhysicalNode.HashJoinNode) node;
        assertThat(join.left.layout()).containsExactly(new Expr.Ref(0, 0), new Expr.Ref(0, 1));
        assertThat(join.right.layout()).containsExactly(new Expr.Ref(1, 1), new Expr.Ref(1, 2), new Expr.Ref(1, 3));
        assertThat(join.layout).hasSize(5);
        assertThat(((PhysicalNode.Fragment) join.left).id).isEqualTo(1);
        assertThat(((PhysicalNode.Fragment) join.right).id).isEqualTo(2);
    }

    @Test
    void aFragmentNeededForNoColumnSelectsTheLiteralOne() {
        PlanPhases p = new PlanPhases("SELECT COUNT(*) FROM customers c", 10_000);
        PhysicalNode.Fragment f = (PhysicalNode.Fragment) p.formation.leaf(p.relation(0), p.where());
        new Layout().assign(f);
        assertThat(f.outputs).containsExactly(new Expr.Literal(1));
    }
}
