package dev.tributary.core;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Databases#migrate()} did, one entry per database in registration order.
 *
 * @param databases one entry per registered database
 */
public record MigrationReport(List<Entry> databases) {

    public MigrationReport {
        databases = List.copyOf(Objects.requireNonNull(databases, "databases"));
    }

    /** The number of migrations applied across all databases. */
    public int migrationsApplied() {
        return databases.stream().mapToInt(Entry::migrationsApplied).sum();
    }

    /** The entry of the database named {@code name}, or null. */
    public @Nullable Entry of(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }

    /** What happened to one database. */
    public enum Outcome {
        /** Migrations were applied. */
        MIGRATED,
        /** Every migration had been applied before. */
        UP_TO_DATE,
        /** No location of the database holds migrations: the database was not contacted. */
        NO_MIGRATIONS,
        /** Its {@link MigrationSettings#enabled()} is false. */
        DISABLED
    }

    /**
     * One database's outcome.
     *
     * @param name the database
     * @param outcome what happened
     * @param migrationsApplied how many migrations ran now
     * @param version the schema version after the run; null when there is none
     * @param locations the Flyway locations read
     */
    public record Entry(String name, Outcome outcome, int migrationsApplied, @Nullable String version,
            List<String> locations) {

        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(outcome, "outcome");
            locations = List.copyOf(locations);
        }
    }
}
