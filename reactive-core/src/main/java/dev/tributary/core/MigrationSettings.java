package dev.tributary.core;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Databases#migrate()} runs Flyway on one database. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>locations</td><td>{@code classpath:db/migration/<database>}</td></tr>
 *   <tr><td>jdbcUrl</td><td>derived from the database's R2DBC URL (PostgreSQL, MariaDB/MySQL, H2 mem, file
 *       and tcp); required for a database registered on a {@code ConnectionFactory}</td></tr>
 *   <tr><td>user, password</td><td>those of the R2DBC URL, or of the JDBC URL</td></tr>
 *   <tr><td>table</td><td>{@code flyway_schema_history}, Flyway's schema history table</td></tr>
 *   <tr><td>baselineOnMigrate</td><td>false: Flyway refuses a non-empty schema without its history table; true:
 *       it records a baseline (version 0) there first and then applies every migration</td></tr>
 *   <tr><td>enabled</td><td>true</td></tr>
 * </table>
 */
public final class MigrationSettings {

    /** The name of Flyway's schema history table unless {@link Builder#table(String)} says otherwise. */
    public static final String DEFAULT_TABLE = "flyway_schema_history";

    private static final MigrationSettings DEFAULTS = builder().build();

    private final @Nullable List<String> locations;
    private final @Nullable String jdbcUrl;
    private final @Nullable String user;
    private final @Nullable String password;
    private final String table;
    private final boolean enabled;
    private final boolean baselineOnMigrate;

    private MigrationSettings(Builder b) {
        this.baselineOnMigrate = b.baselineOnMigrate;
        this.locations = b.locations;
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.table = b.table;
        this.enabled = b.enabled;
    }

    /** The defaults (see the class comment). */
    public static MigrationSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Flyway locations of the database named {@code database}: these settings' or the default. */
    public List<String> locations(String database) {
        return locations != null ? locations : List.of(defaultLocation(database));
    }

    /** {@code classpath:db/migration/<database>}. */
    public static String defaultLocation(String database) {
        return "classpath:db/migration/" + database;
    }

    /** The JDBC URL; null to derive it from the R2DBC URL. */
    public @Nullable String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user; null for the URL's. */
    public @Nullable String user() {
        return user;
    }

    /** The password; null for the URL's. */
    public @Nullable String password() {
        return password;
    }

    /** Flyway's schema history table. */
    public String table() {
        return table;
    }

    /** Whether {@link Databases#migrate()} migrates this database. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether a non-empty schema without Flyway's history table gets a baseline (version 0) instead of an error. */
    public boolean baselineOnMigrate() {
        return baselineOnMigrate;
    }

    @Override
    public String toString() {
        return "MigrationSettings{locations=" + locations + ", jdbcUrl=" + jdbcUrl + ", user=" + user + ", table=" + table
                + ", baselineOnMigrate=" + baselineOnMigrate + ", enabled=" + enabled + "}";
    }

    /** A validating builder: each setter checks its argument. */
    public static final class Builder {

        private @Nullable List<String> locations;
        private @Nullable String jdbcUrl;
        private @Nullable String user;
        private @Nullable String password;
        private String table = DEFAULT_TABLE;
        private boolean enabled = true;
        private boolean baselineOnMigrate;

        private Builder() {
        }

        /**
         * Whether to migrate a schema that already holds tables but not Flyway's history table (an existing database,
         * or one shared with other applications): Flyway records a baseline (version 0) and then applies every
         * migration. Default false: Flyway refuses such a schema.
         */
        public Builder baselineOnMigrate(boolean baselineOnMigrate) {
            this.baselineOnMigrate = baselineOnMigrate;
            return this;
        }

        /**
         * Flyway locations ({@code classpath:db/migration/orders}, {@code filesystem:/srv/sql}); a location without
         * a prefix is on the classpath.
         *
         * @throws IllegalArgumentException if none is given or one is blank
         */
        public Builder locations(List<String> locations) {
            Objects.requireNonNull(locations, "locations");
            if (locations.isEmpty() || locations.stream().anyMatch(l -> l == null || l.isBlank())) {
                throw new IllegalArgumentException("locations must name at least one location and none blank, was " + locations);
            }
            this.locations = List.copyOf(locations);
            return this;
        }

        /** As {@link #locations(List)}. */
        public Builder locations(String... locations) {
            return locations(List.of(locations));
        }

        /**
         * The JDBC URL Flyway connects with, instead of one derived from the R2DBC URL.
         *
         * @throws IllegalArgumentException if it does not start with {@code jdbc:}
         */
        public Builder jdbcUrl(@Nullable String jdbcUrl) {
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:', was '" + jdbcUrl + "'");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The user Flyway connects as; null for the one of the URL. */
        public Builder user(@Nullable String user) {
            this.user = user;
            return this;
        }

        /** The password Flyway connects with; null for the one of the URL. */
        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /**
         * Flyway's schema history table.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder table(String table) {
            Objects.requireNonNull(table, "table");
            if (table.isBlank()) {
                throw new IllegalArgumentException("table must not be blank");
            }
            this.table = table;
            return this;
        }

        /** Whether {@link Databases#migrate()} migrates this database (default true). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** The settings. */
        public MigrationSettings build() {
            return new MigrationSettings(this);
        }
    }
}
