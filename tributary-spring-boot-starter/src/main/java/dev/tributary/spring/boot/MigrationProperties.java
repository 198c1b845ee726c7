package dev.tributary.spring.boot;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Flyway migrations (MigrationSettings): tributary.migration.* for every database,
 * tributary.databases.NAME.migration.* for one.
 *
 * @param enabled whether migrations run: for tributary.migration.enabled, whether the application migrates
 *     its databases at startup; for one database, whether it is migrated at all (default true)
 * @param locations Flyway locations (default classpath:db/migration/DATABASE)
 * @param jdbcUrl the JDBC URL Flyway connects with (default: derived from the R2DBC URL for PostgreSQL,
 *     MariaDB/MySQL and H2)
 * @param user the user Flyway connects as (default: the URL's)
 * @param password the password Flyway connects with (default: the URL's)
 * @param table Flyway's schema history table (default flyway_schema_history)
 * @param baselineOnMigrate whether a non-empty schema without the history table gets a baseline (version 0) and
 *     then every migration, instead of an error (default false)
 */
public record MigrationProperties(@Nullable Boolean enabled, @Nullable List<String> locations,
        @Nullable String jdbcUrl, @Nullable String user, @Nullable String password, @Nullable String table,
        @Nullable Boolean baselineOnMigrate) {

    static final MigrationProperties EMPTY = new MigrationProperties(null, null, null, null, null, null, null);
}
