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

    static List<Object> chain(JoinTable table, int head) {
        List<Object> keys = new ArrayList<>();
        for (int i = head; i != JoinTable.END; i = table.next(i)) {
            keys.add(table.row(i).get(0));
        }
        return keys;
    }

    @Test
    void integralKeysStayPrimitiveThroughResizesAndChainInArrivalOrder() {
        JoinTable table = new JoinTable();
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
        assertThat(table.find(1L)).isEqualTo(JoinTable.END);
        assertThat(table.find((Object) "1")).isEqualTo(JoinTable.END);
        assertThat(table.find((Object) new BigDecimal("7919"))).isEqualTo(JoinTable.END); // callers normalize first
        assertThat(table.find((Object) 7919L)).isNotEqualTo(JoinTable.END);
    }

    @Test
    void aNonIntegralKeySwitchesToObjectKeysKeepingEveryEarlierKey() {
        JoinTable table = new JoinTable();
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
        JoinTable table = new JoinTable();
        table.addUnkeyed(Row.of(K, (Object) null));
        table.add(Row.of(K, 1L), 1L);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.keyCount()).isEqualTo(1);
        table.mark(1);
        assertThat(table.isMarked(1)).isTrue();
        assertThat(table.isMarked(0)).isFalse();
    }
}
