package dev.tributary.samples.web;

import dev.tributary.core.DatabaseConfigurationException;
import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.TributaryException;
import dev.tributary.core.UnknownDatabaseException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Errors as RFC 9457 problem details ({@code application/problem+json}) carrying the message Tributary or
 * the driver gave: what the user can act on (bad SQL, an unknown table, a statement that is not a query)
 * is a 4xx; a database that cannot serve is a 503.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler
    ProblemDetail notReadOnly(ReadOnlySql.NotReadOnlyException e) {
        return problem(HttpStatus.BAD_REQUEST, "Only read-only queries are accepted", e);
    }

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e);
    }

    @ExceptionHandler
    ProblemDetail unavailable(DatabaseUnavailableException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable", e);
        problem.setProperty("database", e.database());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknownDatabase(UnknownDatabaseException e) {
        return problem(HttpStatus.BAD_REQUEST, "Unknown database", e);
    }

    @ExceptionHandler
    ProblemDetail configuration(DatabaseConfigurationException e) {
        log.error("Tributary configuration error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Database configuration error", e);
    }

    @ExceptionHandler
    ProblemDetail tributary(TributaryException e) {
        return problem(FederationErrors.status(e), FederationErrors.title(e), e);
    }

    @ExceptionHandler
    ProblemDetail badGrammar(R2dbcBadGrammarException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Bad SQL", e);
        problem.setProperty("sqlState", e.getSqlState());
        return problem;
    }

    @ExceptionHandler({R2dbcNonTransientResourceException.class, R2dbcTransientResourceException.class})
    ProblemDetail resource(R2dbcException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable", e);
    }

    @ExceptionHandler
    ProblemDetail driver(R2dbcException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Database error", e);
        problem.setProperty("sqlState", e.getSqlState());
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String title, Exception e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, String.valueOf(e.getMessage()));
        problem.setTitle(title);
        problem.setProperty("exception", e.getClass().getSimpleName());
        return problem;
    }
}
