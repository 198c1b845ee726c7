package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.exec.AggregateCall.Kind;
import org.junit.jupiter.api.Test;

class AggregateCallTest {

    @Test
    void countStarTakesNoArgumentAndOthersNeedOne() {
        assertThat(AggregateCall.countStar().argument()).isNull();
        assertThatThrownBy(() -> new AggregateCall(Kind.SUM, null, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SUM needs an argument");
        assertThatThrownBy(() -> new AggregateCall(Kind.COUNT_STAR, RowExpression.column(0), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void joinTypesThatEmitOnlyTheOuterQuery() {
        assertThat(JoinType.SEMI.leftOnly()).isTrue();
        assertThat(JoinType.NOT_IN.leftOnly()).isTrue();
        assertThat(JoinType.FULL.leftOnly()).isFalse();
    }
}
