package dev.tributary.federation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of one database's catalog (its tables, columns and row estimates) in a {@link Federation}, as
 * {@link Federation#catalogStatus()} reports it.
 *
 * @param database the registered database name
 * @param state whether the catalog is loaded, not read yet, or failed to load
 * @param tables the number of tables loaded (0 unless {@link State#LOADED})
 * @param loadedAt when the catalog in use was read ({@code null} unless {@link State#LOADED})
 * @param loadTime how long reading it took ({@code null} unless {@link State#LOADED})
 * @param error the error of the last attempt to read it, when that attempt failed: the reason for
 *     {@link State#FAILED}; with {@link State#LOADED}, a refresh that failed while the earlier catalog stays in use
 * @param nextAttempt when a failed database is read again at the earliest (by the next query naming one of its
 *     tables after that instant); {@code null} when the last attempt succeeded
 */
public record CatalogStatus(String database, State state, int tables, @Nullable Instant loadedAt,
        @Nullable Duration loadTime, @Nullable Throwable error, @Nullable Instant nextAttempt) {

    /** The catalog state of a database. */
    public enum State {
        /** Not read yet: the catalog of a database is read when a query first names one of its tables. */
        NOT_LOADED,
        /** Read; queries over its tables are planned. */
        LOADED,
        /**
         * Could not be read: queries naming its tables fail with
         * {@link dev.tributary.core.DatabaseUnavailableException}, the others run; it is read again after
         * {@link #nextAttempt()}.
         */
        FAILED
    }

    public CatalogStatus {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(state, "state");
    }
}
