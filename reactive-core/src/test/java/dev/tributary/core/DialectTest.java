package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    void dialectIsDetectedFromTheDriverName() {
        assertThat(Dialect.fromDriverName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.fromDriverName("H2")).isEqualTo(Dialect.H2);
        assertThat(Dialect.fromDriverName("MariaDB")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.fromDriverName("MySQL")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.fromDriverName("Oracle")).isEqualTo(Dialect.GENERIC);
    }

    @Test
    void bindMarkersFollowTheDatabase() {
        assertThat(Dialect.POSTGRESQL.bindMarker(0)).isEqualTo("$1");
        assertThat(Dialect.H2.bindMarker(2)).isEqualTo("$3");
        assertThat(Dialect.MARIADB.bindMarker(5)).isEqualTo("?");
        assertThat(Dialect.GENERIC.numberedBindMarkers()).isFalse();
    }

    @Test
    void identifiersAreQuotedWithEmbeddedQuotesDoubled() {
        assertThat(Dialect.POSTGRESQL.quote("order")).isEqualTo("\"order\"");
        assertThat(Dialect.H2.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(Dialect.MARIADB.quote("a`b")).isEqualTo("`a``b`");
    }

    @Test
    void unquotedIdentifiersFoldLikeTheDatabase() {
        assertThat(Dialect.POSTGRESQL.foldCase("Orders")).isEqualTo("orders");
        assertThat(Dialect.H2.foldCase("Orders")).isEqualTo("ORDERS");
        assertThat(Dialect.MARIADB.foldCase("Orders")).isEqualTo("Orders");
    }

    @Test
    void untypedNullsBindAsTheTypeEachDriverAccepts() {
        assertThat(Statements.untypedNull(Dialect.POSTGRESQL)).isEqualTo(Object.class);
        assertThat(Statements.untypedNull(Dialect.H2)).isEqualTo(String.class);
        assertThat(Statements.untypedNull(Dialect.MARIADB)).isEqualTo(String.class);
    }
}
