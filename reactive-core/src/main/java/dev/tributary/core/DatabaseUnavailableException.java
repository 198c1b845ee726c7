package dev.tributary.core;

import org.jspecify.annotations.Nullable;

/**
 * Signalled when a database cannot serve a call: its circuit breaker is open, or its pool could not hand
 * out a connection. The message names the database, the state and the cause.
 */
public class DatabaseUnavailableException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String database;

    public DatabaseUnavailableException(String database, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.database = database;
    }

    /** The name of the database that is unavailable. */
    public String database() {
        return database;
    }
}
