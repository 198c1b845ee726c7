package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** {@link Databases#migrate()} on in-memory H2: outcomes, errors and where Flyway runs. */
class MigrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void migrationsRunOffTheCallersThreadOnBoundedElasticAndTheirTablesAreSeenThroughThePool() {
        Databases databases = Databases.builder()
                .database("starter_h2", "r2dbc:h2:mem:///starter_mig_thread?options=DB_CLOSE_DELAY=-1")
                .build();
        StepVerifier.create(databases.migrate().map(report -> Thread.currentThread().getName()))
                .assertNext(thread -> assertThat(thread).startsWith("boundedElastic"))
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(databases.get("starter_h2").query("SELECT COUNT(*) FROM starter_mig_items", Long.class))
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);
        databases.close().block(TIMEOUT);
    }

    @Test
    void aDatabaseWithoutMigrationScriptsIsNotContacted() {
        // nothing listens on port 1: contacting it would fail
        Databases databases = Databases.builder()
                .database("starter_none", "r2dbc:postgresql://nobody@127.0.0.1:1/nothing")
                .build();
        StepVerifier.create(databases.migrate())
                .assertNext(report -> assertThat(report.databases()).containsExactly(new MigrationReport.Entry(
                        "starter_none", MigrationReport.Outcome.NO_MIGRATIONS, 0, null,
                        List.of("classpath:db/migration/starter_none"))))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aDisabledDatabaseIsSkippedAndOtherLocationsCanBeNamed() {
        Databases databases = Databases.builder()
                .database("starter_off", "r2dbc:postgresql://nobody@127.0.0.1:1/nothing")
                .database("starter_elsewhere", "r2dbc:h2:mem:///starter_mig_elsewhere?options=DB_CLOSE_DELAY=-1")
                .migration("starter_off", MigrationSettings.builder().enabled(false).build())
                .migration("starter_elsewhere", MigrationSettings.builder().locations("db/migration/starter_h2").build())
                .build();
        StepVerifier.create(databases.migrate())
                .assertNext(report -> {
                    assertThat(report.of("starter_off").outcome()).isEqualTo(MigrationReport.Outcome.DISABLED);
                    assertThat(report.of("starter_elsewhere").outcome()).isEqualTo(MigrationReport.Outcome.MIGRATED);
                    assertThat(report.migrationsApplied()).isEqualTo(2);
                })
                .expectComplete()
                .verify(TIMEOUT);
        databases.close().block(TIMEOUT);
    }

    @Test
    void aFailingMigrationNamesTheDatabaseAndKeepsFlywaysCause() {
        Databases databases = Databases.builder()
                .database("starter_broken", "r2dbc:h2:mem:///starter_mig_broken?options=DB_CLOSE_DELAY=-1")
                .build();
        StepVerifier.create(databases.migrate())
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(MigrationFailedException.class)
                            .hasMessageContaining("'starter_broken'")
                            .hasMessageContaining("jdbc:h2:mem:starter_mig_broken");
                    assertThat(e.getCause()).isInstanceOf(org.flywaydb.core.api.FlywayException.class);
                })
                .verify(TIMEOUT);
        databases.close().block(TIMEOUT);
    }

    @Test
    void migrationSettingsForAnUnknownDatabaseAreRefusedAtBuild() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Databases.builder()
                        .database("orders", "r2dbc:h2:mem:///o")
                        .migration("ordres", MigrationSettings.defaults())
                        .build())
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'ordres'");
    }

    @Test
    void aClosedRegistryRefusesToMigrate() {
        Databases databases = Databases.builder().database("starter_h2", "r2dbc:h2:mem:///starter_mig_closed").build();
        databases.close().block(TIMEOUT);
        StepVerifier.create(databases.migrate()).expectError(RegistryClosedException.class).verify(TIMEOUT);
    }
}
