package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowTest {

    private final Columns columns = Columns.of("id", "Name", "amount", "id");

    @Test
    void columnsLookUpNamesCaseInsensitivelyAndTheFirstDuplicateWins() {
        assertThat(columns.size()).isEqualTo(4);
        assertThat(columns.indexOf("NAME")).isEqualTo(1);
        assertThat(columns.indexOf("ID")).isZero();
        assertThat(columns.indexOf("missing")).isEqualTo(-1);
        assertThat(columns.names()).containsExactly("id", "Name", "amount", "id");
        assertThat(columns).isEqualTo(Columns.of(List.of("id", "Name", "amount", "id"))).hasSameHashCodeAs(Columns.of("id", "Name", "amount", "id"));
        assertThat(columns).isNotEqualTo(Columns.of("id", "name", "amount", "id"));
    }

    @Test
    void rowReadsByIndexAndCaseInsensitiveName() {
        Row row = Row.of(columns, 1, "Ada", new BigDecimal("5.0"), 2);
        assertThat(row.get(0)).isEqualTo(1);
        assertThat(row.get("name")).isEqualTo("Ada");
        assertThat(row.get("ID")).isEqualTo(1);
        assertThat(row.size()).isEqualTo(4);
        assertThat(row.columns()).isSameAs(columns);
        assertThat(row.columnNames()).containsExactly("id", "Name", "amount", "id");
    }

    @Test
    void rowConvertsNumbersWithoutLoss() {
        Row row = Row.of(columns, 1, "Ada", new BigDecimal("5.0"), null);
        assertThat(row.get("amount", Integer.class)).isEqualTo(5);
        assertThat(row.get("amount", Long.class)).isEqualTo(5L);
        assertThat(row.get("id", Long.class)).isEqualTo(1L);
        assertThat(row.get("id", BigDecimal.class)).isEqualByComparingTo("1");
        assertThat(row.get(1, String.class)).isEqualTo("Ada");
        assertThat(row.get(3, Integer.class)).isNull();
        assertThatThrownBy(() -> Row.of(columns, 1, "Ada", new BigDecimal("5.5"), null).get("amount", Integer.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> row.get(3, int.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NULL");
    }

    @Test
    void missingColumnIsAnErrorListingTheColumns() {
        Row row = Row.of(columns, 1, "Ada", null, 2);
        assertThatThrownBy(() -> row.get("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[id, Name, amount, id]");
        assertThatThrownBy(() -> row.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rowsAreValuesWithAReadableForm() {
        Row a = Row.of(Columns.of("id", "name"), 1, "Ada");
        Row b = Row.of(Columns.of("id", "name"), 1, "Ada");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Row.of(Columns.of("id", "name"), 1, null));
        assertThat(a).hasToString("Row{id=1, name='Ada'}");
        Object[] values = a.values();
        values[0] = 99;
        assertThat(a.get(0)).as("values() is a copy").isEqualTo(1);
    }

    @Test
    void rowNeedsOneValuePerColumn() {
        assertThatThrownBy(() -> Row.of(Columns.of("a", "b"), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
