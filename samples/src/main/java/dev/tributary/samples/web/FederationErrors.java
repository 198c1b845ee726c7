package dev.tributary.samples.web;

import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.TributaryException;
import dev.tributary.federation.MemoryBudgetExceededException;
import dev.tributary.federation.UnknownColumnException;
import dev.tributary.federation.UnknownTableException;
import dev.tributary.federation.UnsupportedSqlException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.springframework.http.HttpStatus;

/**
 * The HTTP status and problem title for a Tributary error raised while planning or running a query. The
 * caller's SQL is at fault (400) unless a database could not serve (503; the federation engine reports a
 * failed fragment with the driver's error as the cause) or the query outgrew its memory budget (422: narrow
 * the query or raise the budget).
 */
final class FederationErrors {

    private FederationErrors() {
    }

    static HttpStatus status(TributaryException e) {
        if (unavailable(e)) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return e instanceof MemoryBudgetExceededException ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.BAD_REQUEST;
    }

    static String title(TributaryException e) {
        if (e instanceof UnsupportedSqlException) {
            return "Unsupported SQL";
        }
        if (e instanceof UnknownTableException) {
            return "Unknown table";
        }
        if (e instanceof UnknownColumnException) {
            return "Unknown column";
        }
        if (e instanceof MemoryBudgetExceededException) {
            return "Query exceeds its memory budget";
        }
        if (unavailable(e)) {
            return "Database unavailable";
        }
        if (hasCause(e, R2dbcBadGrammarException.class)) {
            return "Bad SQL";
        }
        return "Query failed";
    }

    /** Whether {@code e} or one of its causes says a database could not serve. */
    static boolean unavailable(Throwable e) {
        return hasCause(e, DatabaseUnavailableException.class) || hasCause(e, R2dbcNonTransientResourceException.class)
                || hasCause(e, R2dbcTransientResourceException.class);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
