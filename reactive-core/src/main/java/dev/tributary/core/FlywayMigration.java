package dev.tributary.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs Flyway on one database. Flyway speaks JDBC, so every call runs on {@link Schedulers#boundedElastic()},
 * never on an event loop. Only loaded when Flyway is on the classpath ({@link #AVAILABLE}).
 */
final class FlywayMigration {

    /** Whether {@code org.flywaydb:flyway-core} is on the classpath. */
    static final boolean AVAILABLE = present("org.flywaydb.core.Flyway");

    private FlywayMigration() {
    }

    /**
     * Migrates {@code database} as {@code settings} say; a database whose locations hold no migration is not
     * contacted.
     *
     * @return the database's entry of the report; signals {@link MigrationFailedException} when Flyway fails
     */
    static Mono<MigrationReport.Entry> migrate(String database, JdbcTarget target, MigrationSettings settings) {
        List<String> locations = settings.locations(database);
        return Mono.fromCallable(() -> {
            if (!hasMigrations(locations)) {
                return new MigrationReport.Entry(database, MigrationReport.Outcome.NO_MIGRATIONS, 0, null, locations);
            }
            MigrateResult result;
            try {
                result = Flyway.configure(FlywayMigration.class.getClassLoader())
                        .dataSource(target.url(), target.user(), target.password())
                        .locations(locations.toArray(String[]::new))
                        .table(settings.table())
                        .baselineOnMigrate(settings.baselineOnMigrate())
                        .baselineVersion("0")
                        .load()
                        .migrate();
            } catch (FlywayException e) {
                throw new MigrationFailedException("Migrating database '" + database + "' (" + target + ", locations "
                        + locations + ") failed: " + e.getMessage() + ". Fix the failed migration, repair the schema"
                        + " history table '" + settings.table() + "' if needed, and migrate again", e);
            }
            return new MigrationReport.Entry(database, result.migrationsExecuted > 0
                    ? MigrationReport.Outcome.MIGRATED : MigrationReport.Outcome.UP_TO_DATE,
                    result.migrationsExecuted, result.targetSchemaVersion != null ? result.targetSchemaVersion
                            : result.initialSchemaVersion, locations);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Whether any location exists: a classpath folder (in a directory or a jar) or a file system folder. */
    private static boolean hasMigrations(List<String> locations) throws IOException {
        ClassLoader loader = FlywayMigration.class.getClassLoader();
        for (String location : locations) {
            if (location.startsWith("filesystem:")) {
                if (Files.isDirectory(Path.of(location.substring("filesystem:".length())))) {
                    return true;
                }
                continue;
            }
            if (location.contains(":") && !location.startsWith("classpath:")) {
                return true; // another scheme (s3:, gcs:, ...): let Flyway decide
            }
            String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            path = path.startsWith("/") ? path.substring(1) : path;
            if (loader.getResources(path).hasMoreElements()) {
                return true;
            }
        }
        return false;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, FlywayMigration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
