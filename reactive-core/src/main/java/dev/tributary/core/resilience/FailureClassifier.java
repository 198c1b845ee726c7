package dev.tributary.core.resilience;

import dev.tributary.core.DatabaseUnavailableException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTransientException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The default decisions on which errors say "the database is unwell" and which may be retried. Both read the
 * exception type (and the chain of causes), never the message.
 */
public final class FailureClassifier {

    private static final int MAX_DEPTH = 16;

    private FailureClassifier() {
    }

    /**
     * Whether {@code error} counts as a failure of the database for a circuit breaker: a connection or resource
     * error ({@link R2dbcNonTransientResourceException}, {@link R2dbcTransientResourceException}), a timeout
     * ({@link TimeoutException}, {@link io.r2dbc.spi.R2dbcTimeoutException}, {@link QueryTimeoutException}), an
     * {@link IOException}, or a {@link DatabaseUnavailableException} from the pool, found as the error or one of
     * its causes; or an {@link R2dbcException} whose SQLSTATE is of class 08 (connection exception), 53
     * (insufficient resources, such as too many connections), 57 (operator intervention: the server is
     * shutting down, the backend was terminated, the statement was cancelled) or 28 (authentication failed: no
     * call can succeed). The caller's own mistakes (bad grammar, integrity violations, permission denied on an
     * object) never count,
     * nor does another breaker's {@link CircuitBreakerOpenException}.
     */
    public static boolean isDatabaseFailure(Throwable error) {
        if (error instanceof R2dbcBadGrammarException || error instanceof R2dbcDataIntegrityViolationException
                || (error instanceof R2dbcPermissionDeniedException denied && !authentication(denied.getSqlState()))
                || error instanceof CircuitBreakerOpenException) {
            return false;
        }
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof R2dbcNonTransientResourceException || t instanceof R2dbcTransientResourceException
                    || t instanceof io.r2dbc.spi.R2dbcTimeoutException || t instanceof TimeoutException
                    || t instanceof QueryTimeoutException || t instanceof IOException
                    || (t instanceof DatabaseUnavailableException && !(t instanceof CircuitBreakerOpenException))
                    || (t instanceof R2dbcException r2dbc && (unavailableState(r2dbc.getSqlState())
                            || authentication(r2dbc.getSqlState())))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** SQLSTATE class 28 (invalid authorization specification): the application cannot log in at all. */
    private static boolean authentication(@Nullable String sqlState) {
        return sqlState != null && sqlState.startsWith("28");
    }

    /** SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57 (operator intervention). */
    private static boolean unavailableState(@Nullable String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57"));
    }

    /**
     * Whether {@code error} may be retried: an {@link R2dbcTransientException} (or subclass, such as a
     * transient resource error or a serialization failure), except timeouts: an
     * {@link io.r2dbc.spi.R2dbcTimeoutException} (statement timeout, pool acquire timeout) is not retried, nor are
     * our own statement and query timeouts, since running the same work again would most likely time out again.
     */
    public static boolean isTransient(Throwable error) {
        return error instanceof R2dbcTransientException && !(error instanceof io.r2dbc.spi.R2dbcTimeoutException);
    }
}
