package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Databases;
import dev.tributary.core.MigrationFailedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

/** Flyway migrations of each database at startup, from {@code db/migration/<database>}. */
class MigrationsOnStartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class));

    @Test
    void eachDatabaseIsMigratedBeforeAnyBeanCanUseIt() {
        runner.withPropertyValues("tributary.databases.starter_app.url=r2dbc:h2:mem:///starter_mos_1?options=DB_CLOSE_DELAY=-1",
                        "tributary.databases.starter_plain.url=r2dbc:h2:mem:///starter_mos_plain")
                .run(context -> StepVerifier.create(context.getBean(Databases.class).get("starter_app")
                                .query("SELECT name FROM starter_app_items", String.class))
                        .expectNext("migrated at startup")
                        .expectComplete()
                        .verify(TIMEOUT));
    }

    @Test
    void aPropertyTurnsMigrationsAtStartupOff() {
        runner.withPropertyValues("tributary.databases.starter_app.url=r2dbc:h2:mem:///starter_mos_2?options=DB_CLOSE_DELAY=-1",
                        "tributary.migration.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MigrationsOnStart.class);
                    StepVerifier.create(context.getBean(Databases.class).get("starter_app")
                                    .query("SELECT name FROM starter_app_items"))
                            .expectError()
                            .verify(TIMEOUT);
                });
    }

    @Test
    void withoutFlywayOnTheClasspathNothingIsMigrated() {
        runner.withClassLoader(new FilteredClassLoader("org.flywaydb"))
                .withPropertyValues("tributary.databases.starter_app.url=r2dbc:h2:mem:///starter_mos_3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(MigrationsOnStart.class);
                });
    }

    @Test
    void aFailingMigrationFailsTheStartupNamingTheDatabase() {
        runner.withPropertyValues("tributary.databases.starter_app.url=r2dbc:h2:mem:///starter_mos_4?options=DB_CLOSE_DELAY=-1",
                        "tributary.databases.starter_app.migration.locations=db/migration/starter_app,db/migration/starter_dup")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(org.flywaydb.core.api.FlywayException.class));
        runner.withPropertyValues("tributary.databases.starter_app.url=r2dbc:h2:mem:///starter_mos_5?options=DB_CLOSE_DELAY=-1",
                        "tributary.databases.starter_app.migration.locations=db/migration/starter_app,db/migration/starter_dup")
                .run(context -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
                        MigrationFailedException.class.getName()).hasStackTraceContaining("'starter_app'"));
    }
}
