package dev.tributary.federation.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class KeyFilterTest {

    private static final Columns AB = Columns.of("a", "b");
    private static final Columns OUT = Columns.of("a", "b", "x", "y");

    /** A probe source that records the key filters it is opened with. */
    private static final class Recording implements ProbeSource {
        final List<@Nullable KeyFilter> opened = new ArrayList<>();

        @Override
        public Flux<Row> open(@Nullable List<Object> keys) {
            opened.add(null);
            return rows(new Object[] {1, "p"}, new Object[] {2, "q"});
        }

        @Override
        public Flux<Row> open(KeyFilter filter) {
            opened.add(filter);
            return rows(new Object[] {1, "p"}, new Object[] {2, "q"});
        }
    }

    private static Flux<Row> rows(Object[]... values) {
        return Flux.fromStream(Arrays.stream(values).map(v -> Row.of(AB, v)));
    }

    private static Flux<Row> join(Flux<Row> build, Recording probe, int maxKeys) {
        return HashJoin.builder().buildSide(HashJoin.Side.LEFT).dynamicFilter(maxKeys)
                .left(ProbeSource.of(build), new int[] {0, 1}, 2)
                .right(probe, new int[] {0, 1}, 2).output(OUT).build();
    }

    @Test
    void aCompositeKeyFilterHoldsEachDistinctKeyTuple() {
        Recording probe = new Recording();
        Flux<Row> build = rows(new Object[] {1, "p"}, new Object[] {1L, "p"}, new Object[] {1, "z"},
                new Object[] {null, "p"});
        StepVerifier.create(join(build, probe, 10)).expectNextCount(2).verifyComplete();
        assertThat(probe.opened).singleElement().satisfies(f -> {
            assertThat(f.tuples()).extracting(Arrays::asList).containsExactly(List.of(1, "p"), List.of(1, "z"));
            assertThat(f.low()).containsExactly(1, null);
            assertThat(f.high()).containsExactly(1, null);
        });
    }

    @Test
    void tooManyKeysLeaveTheRangeOfEachNumericKeyColumn() {
        Recording probe = new Recording();
        Flux<Row> build = rows(new Object[] {5, "p"}, new Object[] {new BigDecimal("2.5"), "q"},
                new Object[] {9L, "r"}, new Object[] {2, "s"});
        StepVerifier.create(join(build, probe, 3)).expectNextCount(0).verifyComplete();
        assertThat(probe.opened).singleElement().satisfies(f -> {
            assertThat(f.tuples()).isNull();
            assertThat(f.low()).containsExactly(2, null);
            assertThat(f.high()).containsExactly(9L, null);
        });
    }
}
