package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedParametersTest {

    @Test
    void namesBecomeNumberedMarkersInOrder() {
        NamedParameters p = NamedParameters.parse("SELECT * FROM t WHERE a = :a AND b IN (:b1, :b_2) OR a = :a", Dialect.POSTGRESQL);
        assertThat(p.sql()).isEqualTo("SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) OR a = $4");
        assertThat(p.names()).containsExactly("a", "b1", "b_2", "a");
        assertThat(p.binds(Map.of("a", 1, "b1", 2, "b_2", 3))).containsExactly(1, 2, 3, 1);
    }

    @Test
    void namesBecomeQuestionMarksOnMariaDb() {
        NamedParameters p = NamedParameters.parse("UPDATE t SET x = :x WHERE id = :id", Dialect.MARIADB);
        assertThat(p.sql()).isEqualTo("UPDATE t SET x = ? WHERE id = ?");
        assertThat(p.names()).containsExactly("x", "id");
    }

    @Test
    void quotedTextCommentsAndCastsAreLeftAlone() {
        String sql = "SELECT ':no', \"col:no\", `b:no`, x::text, 'it''s :no' -- :no\n"
                + "/* :no */ FROM t WHERE y = :yes AND z := 1 AND $tag$ :no $tag$ = $$:no$$";
        NamedParameters p = NamedParameters.parse(sql, Dialect.POSTGRESQL);
        assertThat(p.names()).containsExactly("yes");
        assertThat(p.sql()).isEqualTo(sql.replace(":yes", "$1"));
    }

    @Test
    void dollarMarkersAreNotDollarQuotesOnPostgres() {
        NamedParameters p = NamedParameters.parse("SELECT $1, :a", Dialect.POSTGRESQL);
        assertThat(p.sql()).isEqualTo("SELECT $1, $1");
        assertThat(p.names()).containsExactly("a");
    }

    @Test
    void missingValueIsAnErrorNamingIt() {
        NamedParameters p = NamedParameters.parse("SELECT :a, :b", Dialect.H2);
        assertThatThrownBy(() -> p.binds(Map.of("a", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":b")
                .hasMessageContaining("[a]");
    }

    @Test
    void nullValuesAreBound() {
        Map<String, Object> params = new HashMap<>();
        params.put("a", null);
        assertThat(NamedParameters.parse("SELECT :a", Dialect.H2).binds(params)).containsExactly((Object) null);
    }
}
