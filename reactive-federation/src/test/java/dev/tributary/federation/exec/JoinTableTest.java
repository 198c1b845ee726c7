package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinTableTest {

    static final Columns K = Columns.of("k");

    /** The first values of a chain's rows, checking that the chain ends at its recorded tail. */
    static List<Object> chain(JoinTable table, long found) {
        List<Object> keys = new ArrayList<>();
        int last = JoinTable.END;
        for (int i = JoinTable.head(found); i != JoinTable.END; i = table.next(i)) {
            keys.add(table.value(i, 0));
            last = i;
        }
        assertThat(last).isEqualTo(JoinTable.tail(found));
        return keys;
    }

    @Test
    void integralKeysStayPrimitiveThroughResizesAndChainInArrivalOrder() {
        JoinTable table = new JoinTable(1);
        for (int round = 0; round < 3; round++) {
            for (long k = 0; k < 10_000; k++) {
                table.add(Row.of(K, k * 7919), k * 7919);
            }
        }
        assertThat(table.keyCount()).isEqualTo(10_000);
        assertThat(table.size()).isEqualTo(30_000);
        for (long k = 0; k < 10_000; k++) {
            assertThat(chain(table, table.find(k * 7919))).hasSize(3);
        }
        assertThat(table.find(1L)).isEqualTo(JoinTable.MISS);
        assertThat(table.find((Object) "1")).isEqualTo(JoinTable.MISS);
        assertThat(table.find((Object) new BigDecimal("7919"))).isEqualTo(JoinTable.MISS); // callers normalize first
        assertThat(table.find((Object) 7919L)).isNotEqualTo(JoinTable.MISS);
    }

    @Test
    void aNonIntegralKeySwitchesToObjectKeysKeepingEveryEarlierKey() {
        JoinTable table = new JoinTable(1);
        for (long k = 0; k < 5000; k++) {
            table.add(Row.of(K, k), k);
        }
        table.add(Row.of(K, "s"), "s");
        for (int k = 0; k < 5000; k++) {
            table.add(Row.of(K, "s" + k), "s" + k);
            table.add(Row.of(K, (long) k), (long) k);
        }
        assertThat(table.keyCount()).isEqualTo(10_001);
        for (long k = 0; k < 5000; k++) {
            assertThat(chain(table, table.find(k))).containsExactly(k, k);
            assertThat(chain(table, table.find((Object) ("s" + k)))).containsExactly("s" + k);
        }
        assertThat(chain(table, table.find((Object) "s"))).containsExactly("s");
    }

    @Test
    void unkeyedRowsAreKeptButNeverFoundAndMarksAreRemembered() {
        JoinTable table = new JoinTable(1);
        table.addUnkeyed(Row.of(K, (Object) null));
        table.add(Row.of(K, 1L), 1L);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.keyCount()).isEqualTo(1);
        table.mark(1);
        assertThat(table.isMarked(1)).isTrue();
        assertThat(table.isMarked(0)).isFalse();
    }

    @Test
    void rowsKeepEveryValueInTheFlatArrayThroughGrowth() {
        Columns three = Columns.of("k", "name", "country");
        JoinTable table = new JoinTable(3);
        for (long k = 0; k < 1000; k++) {
            table.add(Row.of(three, k, "n" + k, k % 2 == 0 ? null : "DE"), k);
        }
        for (int i = 0; i < 1000; i++) {
            long found = table.find((long) i);
            assertThat(JoinTable.head(found)).isEqualTo(i).isEqualTo(JoinTable.tail(found));
            assertThat(table.value(i, 0)).isEqualTo((long) i);
            assertThat(table.value(i, 1)).isEqualTo("n" + i);
            assertThat(table.value(i, 2)).isEqualTo(i % 2 == 0 ? null : "DE");
        }
    }

    @Test
    void sealingDenseIntegralKeysKeepsEveryChainAndFindsNothingElse() {
        JoinTable table = new JoinTable(1);
        for (long k = -500; k < 1500; k++) {
            if (k % 3 != 0) {
                table.add(Row.of(K, k), k);
                table.add(Row.of(K, k), k);
            }
        }
        assertThat(table.seal()).isPositive();
        for (long k = -600; k < 1600; k++) {
            long found = table.find(k);
            if (k >= -500 && k < 1500 && k % 3 != 0) {
                assertThat(chain(table, found)).containsExactly(k, k);
                assertThat(chain(table, table.find((Object) k))).containsExactly(k, k);
            } else {
                assertThat(found).isEqualTo(JoinTable.MISS);
            }
        }
        assertThat(table.find(Long.MIN_VALUE)).isEqualTo(JoinTable.MISS);
        assertThat(table.find(Long.MAX_VALUE)).isEqualTo(JoinTable.MISS);
    }

    @Test
    void sparseOrNonIntegralKeysStayHashed() {
        JoinTable sparse = new JoinTable(1);
        for (long k = 0; k < 100; k++) {
            sparse.add(Row.of(K, k * 1000), k * 1000);
        }
        assertThat(sparse.seal()).isZero();
        assertThat(chain(sparse, sparse.find(5000L))).containsExactly(5000L);
        JoinTable extremes = new JoinTable(1);
        extremes.add(Row.of(K, Long.MIN_VALUE), Long.MIN_VALUE);
        extremes.add(Row.of(K, Long.MAX_VALUE), Long.MAX_VALUE);
        assertThat(extremes.seal()).isZero();
        assertThat(chain(extremes, extremes.find(Long.MAX_VALUE))).containsExactly(Long.MAX_VALUE);
        JoinTable strings = new JoinTable(1);
        strings.add(Row.of(K, "a"), "a");
        assertThat(strings.seal()).isZero();
        assertThat(chain(strings, strings.find((Object) "a"))).containsExactly("a");
    }
}
