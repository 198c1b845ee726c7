package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.federation.MemoryBudgetExceededException;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void reservationsPastTheLimitFailNamingOperatorBudgetAndOption() {
        MemoryBudget budget = MemoryBudget.of(1000);
        budget.reserve(600, "join#1 a x b");
        assertThatThrownBy(() -> budget.reserve(600, "join#1 a x b"))
                .isInstanceOfSatisfying(MemoryBudgetExceededException.class, e -> {
                    assertThat(e.operator()).isEqualTo("join#1 a x b");
                    assertThat(e.budget()).isEqualTo(1000);
                    assertThat(e.requested()).isEqualTo(1200);
                })
                .hasMessageContaining("join#1 a x b")
                .hasMessageContaining("1000 bytes")
                .hasMessageContaining("memoryBudget");
        assertThat(budget.used()).isEqualTo(600);
        budget.release(600);
        assertThat(budget.used()).isZero();
    }

    @Test
    void unlimitedBudgetCountsButNeverFails() {
        MemoryBudget budget = MemoryBudget.unlimited();
        budget.reserve(Long.MAX_VALUE / 2, "x");
        budget.reserve(Long.MAX_VALUE / 4, "x");
        assertThat(budget.used()).isEqualTo(Long.MAX_VALUE / 2 + Long.MAX_VALUE / 4);
        assertThat(budget.limit()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nonPositiveBudgetIsRefused() {
        assertThatThrownBy(() -> MemoryBudget.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memoryBudget");
    }

    @Test
    void estimateGrowsWithTheValuesARowHolds() {
        Columns columns = Columns.of("a", "b");
        long small = MemoryBudget.estimate(Row.of(columns, 1, null));
        long large = MemoryBudget.estimate(Row.of(columns, 1, "x".repeat(1000)));
        assertThat(small).isPositive();
        assertThat(large).isGreaterThan(small + 1000);
    }
}
