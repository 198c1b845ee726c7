package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcTargetTest {

    private static JdbcTarget derive(String r2dbcUrl) {
        return JdbcTarget.derive("orders", r2dbcUrl);
    }

    @Test
    void aPostgresUrlKeepsHostPortDatabaseUserAndPassword() {
        assertThat(derive("r2dbc:postgresql://app:secret@db.example:5433/orders"))
                .isEqualTo(new JdbcTarget("jdbc:postgresql://db.example:5433/orders", "app", "secret"));
    }

    @Test
    void aPostgresSchemaOptionBecomesTheCurrentSchema() {
        assertThat(derive("r2dbc:postgresql://app@db:5432/test?schema=samples_x").url())
                .isEqualTo("jdbc:postgresql://db:5432/test?currentSchema=samples_x");
    }

    @Test
    void aPoolUrlIsLookedThrough() {
        assertThat(derive("r2dbc:pool:postgresql://app@db:5432/orders?maxSize=3"))
                .isEqualTo(new JdbcTarget("jdbc:postgresql://db:5432/orders", "app", null));
    }

    @Test
    void mariaDbAndMySqlUrlsGoToTheMariaDbDriver() {
        assertThat(derive("r2dbc:mariadb://root@127.0.0.1:3306/test").url()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/test");
        assertThat(derive("r2dbc:mysql://root@127.0.0.1/test").url()).isEqualTo("jdbc:mariadb://127.0.0.1/test");
    }

    @Test
    void anH2MemoryUrlKeepsItsNameAndOptions() {
        assertThat(derive("r2dbc:h2:mem:///customers?options=DB_CLOSE_DELAY=-1;MODE=PostgreSQL").url())
                .isEqualTo("jdbc:h2:mem:customers;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
    }

    @Test
    void anH2FileUrlWithFourSlashesIsAnAbsolutePathAndWithThreeARelativeOne() {
        assertThat(derive("r2dbc:h2:file:////tmp/x/db").url()).isEqualTo("jdbc:h2:file:/tmp/x/db");
        assertThat(derive("r2dbc:h2:file:///./data/db").url()).isEqualTo("jdbc:h2:file:./data/db");
    }

    @Test
    void anH2TcpUrlKeepsTheServer() {
        assertThat(derive("r2dbc:h2:tcp://localhost:9092/~/test").url()).isEqualTo("jdbc:h2:tcp://localhost:9092/~/test");
    }

    @Test
    void settingsOverrideTheUrlAndTheCredentials() {
        MigrationSettings settings = MigrationSettings.builder().jdbcUrl("jdbc:postgresql://admin-host/orders")
                .user("owner").password("pw").build();
        assertThat(JdbcTarget.of("orders", "r2dbc:postgresql://app@db/orders", settings))
                .isEqualTo(new JdbcTarget("jdbc:postgresql://admin-host/orders", "owner", "pw"));
        assertThat(JdbcTarget.of("orders", "r2dbc:postgresql://app:x@db/orders",
                MigrationSettings.builder().user("owner").build()))
                .isEqualTo(new JdbcTarget("jdbc:postgresql://db/orders", "owner", "x"));
    }

    @Test
    void anotherDriverOrAConnectionFactoryNeedsAnExplicitJdbcUrlAndTheMessageSaysWhere() {
        assertThatThrownBy(() -> derive("r2dbc:mssql://sa@db/orders"))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("driver 'mssql'")
                .hasMessageContaining("tributary.databases.orders.migration.jdbc-url");
        assertThatThrownBy(() -> JdbcTarget.of("orders", null, MigrationSettings.defaults()))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("ConnectionFactory");
    }

    @Test
    void thePasswordIsMaskedWhenTheTargetIsPrinted() {
        assertThat(new JdbcTarget("jdbc:postgresql://db/orders?password=secret", "app", "secret").toString())
                .doesNotContain("secret");
    }
}
