package dev.tributary.samples.web;

import dev.tributary.core.TributaryException;
import org.springframework.http.HttpStatus;

/** The HTTP status and problem title for a Tributary error raised while planning or running a query. */
final class FederationErrors {

    private FederationErrors() {
    }

    static HttpStatus status(TributaryException e) {
        return HttpStatus.BAD_REQUEST;
    }

    static String title(TributaryException e) {
        return "Query failed";
    }
}
