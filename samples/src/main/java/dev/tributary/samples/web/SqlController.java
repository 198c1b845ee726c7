package dev.tributary.samples.web;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Free-form, read-only federated SQL. {@code POST /api/sql} runs one SELECT over every registered database
 * and streams its rows as a JSON array, or as NDJSON with {@code Accept: application/x-ndjson};
 * {@code POST /api/explain} returns the plan Tributary would run. Values travel as bind parameters:
 * {@code params} is an object for {@code :name} parameters or an array for {@code ?} parameters.
 */
@RestController
@RequestMapping("/api")
class SqlController {

    private final FederatedSql federation;

    SqlController(FederatedSql federation) {
        this.federation = federation;
    }

    @PostMapping(value = "/sql", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Flux<Map<String, @Nullable Object>> query(@RequestBody SqlRequest request) {
        return federation.query(ReadOnlySql.require(request.sql()), request.params()).map(RowJson::toMap);
    }

    @PostMapping(value = "/explain", produces = MediaType.TEXT_PLAIN_VALUE)
    Mono<String> explain(@RequestBody SqlRequest request) {
        return federation.explain(ReadOnlySql.require(request.sql()));
    }

    /** A parameter that does not fit the SQL (missing, one too many, not an object or array). */
    @ExceptionHandler
    ProblemDetail badParameters(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.valueOf(e.getMessage()));
        problem.setTitle("Bad parameters");
        return problem;
    }

    /**
     * The request body.
     *
     * @param sql one SELECT statement
     * @param params an object of named values for {@code :name} parameters, an array of values for
     *     {@code ?} parameters, or absent
     */
    record SqlRequest(@Nullable String sql, @Nullable Object params) {
    }
}
