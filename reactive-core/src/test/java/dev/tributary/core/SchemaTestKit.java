package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.test.StepVerifier;

/**
 * Migrations ({@link Databases#migrate()}) and {@link Schema} create/drop against one kind of database. A subclass
 * names one database ({@link #name()}, {@link #url()}) whose migrations live under {@code db/migration/<name>} and
 * create {@code starter_mig_items} (two versions), with Flyway's history in {@link #HISTORY}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SchemaTestKit {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String HISTORY = "starter_flyway_history";
    static final String SHOP = "db/schema/starter_shop.sql";

    private Databases databases;

    /** The database's name, which is also its migrations' folder. */
    abstract String name();

    /** The database's R2DBC URL. */
    abstract String url() throws Exception;

    @BeforeAll
    void start() throws Exception {
        databases = Databases.builder()
                .database(name(), url())
                // the test databases hold other tests' tables: baseline them, then apply every migration
                .migration(MigrationSettings.builder().table(HISTORY).baselineOnMigrate(true).build())
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close().block(TIMEOUT);
    }

    Databases databases() {
        return databases;
    }

    private Database db() {
        return databases().get(name());
    }

    private void dropMigrated() {
        StepVerifier.create(db().update("DROP TABLE IF EXISTS starter_mig_items")
                        .then(db().update("DROP TABLE IF EXISTS " + HISTORY)))
                .expectNextCount(1).expectComplete().verify(TIMEOUT);
    }

    @Test
    void migrateAppliesEachScriptOnceThenReportsTheDatabaseUpToDate() {
        dropMigrated();

        StepVerifier.create(databases().migrate())
                .assertNext(report -> {
                    MigrationReport.Entry entry = report.of(name());
                    assertThat(entry.outcome()).isEqualTo(MigrationReport.Outcome.MIGRATED);
                    assertThat(entry.migrationsApplied()).isEqualTo(2);
                    assertThat(entry.version()).isEqualTo("2");
                })
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(db().query("SELECT name FROM starter_mig_items ORDER BY id", String.class))
                .expectNext("one", "two; with a semicolon")
                .expectComplete()
                .verify(TIMEOUT);

        StepVerifier.create(databases().migrate())
                .assertNext(report -> {
                    assertThat(report.of(name()).outcome()).isEqualTo(MigrationReport.Outcome.UP_TO_DATE);
                    assertThat(report.migrationsApplied()).isZero();
                })
                .expectComplete()
                .verify(TIMEOUT);
        dropMigrated();
    }

    @Test
    void createRunsTheScriptAndDropRemovesWhatItCreatedInReverseOrder() {
        Schema schema = databases().schema(name());
        StepVerifier.create(schema.drop(SHOP)).expectNext(3).expectComplete().verify(TIMEOUT);

        StepVerifier.create(schema.create(SHOP)).expectNext(4).expectComplete().verify(TIMEOUT);
        StepVerifier.create(db().update("INSERT INTO starter_orders (id, customer_id) VALUES (10, 1)")
                        .thenMany(db().query("SELECT note FROM starter_order_notes", String.class)))
                .expectNext("a, b") // r2dbc-h2 1.1 cuts a statement at a ; even inside a literal
                .expectComplete()
                .verify(TIMEOUT);

        StepVerifier.create(schema.drop(SHOP)).expectNext(3).expectComplete().verify(TIMEOUT);
        StepVerifier.create(db().query("SELECT COUNT(*) FROM starter_customers"))
                .expectError()
                .verify(TIMEOUT);
    }

    @Test
    void recreateLeavesTheTablesOfTheScriptWithOnlyTheirScriptedRows() {
        Schema schema = databases().schema(name());
        StepVerifier.create(schema.recreate(SHOP)
                        .then(db().update("INSERT INTO starter_customers (id, name) VALUES (2, 'Grace')"))
                        .then(schema.recreate(SHOP))
                        .thenMany(db().query("SELECT COUNT(*) FROM starter_customers", Long.class)))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(schema.drop(SHOP)).expectNext(3).expectComplete().verify(TIMEOUT);
    }
}
