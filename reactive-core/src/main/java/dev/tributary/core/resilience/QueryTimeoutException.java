package dev.tributary.core.resilience;

import dev.tributary.core.TributaryException;
import java.time.Duration;

/**
 * Signalled when a query ran out of time: it produced no row within its statement timeout, or did not finish
 * within its whole-query timeout. The query was cancelled, which returns (or, when the driver cannot cancel
 * cleanly, invalidates) its connection. Counts as a failure for the circuit breaker; never retried.
 */
public final class QueryTimeoutException extends TributaryException {

    private static final long serialVersionUID = 1L;

    /** Which timeout ran out. */
    public enum Kind {
        /** No row within {@link ResilienceSettings#statementTimeout()}. */
        STATEMENT,
        /** Not finished within {@link ResilienceSettings#queryTimeout()}. */
        QUERY
    }

    private final String database;
    private final Kind kind;
    private final Duration timeout;

    QueryTimeoutException(String database, Kind kind, Duration timeout) {
        super(kind == Kind.STATEMENT
                ? "Query on database '" + database + "' produced no row within its statement timeout of " + timeout
                        + " and was cancelled; raise ResilienceSettings.statementTimeout if the query is expected to be slow"
                : "Query on database '" + database + "' did not finish within its query timeout of " + timeout
                        + " and was cancelled; raise or remove ResilienceSettings.queryTimeout for long-running queries",
                new java.util.concurrent.TimeoutException(kind.name().toLowerCase(java.util.Locale.ROOT) + " timeout " + timeout));
        this.database = database;
        this.kind = kind;
        this.timeout = timeout;
    }

    /** The database the query ran on. */
    public String database() {
        return database;
    }

    public Kind kind() {
        return kind;
    }

    /** The timeout that ran out. */
    public Duration timeout() {
        return timeout;
    }
}
