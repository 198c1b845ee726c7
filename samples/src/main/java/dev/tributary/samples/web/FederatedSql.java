package dev.tributary.samples.web;

import dev.tributary.core.Row;
import dev.tributary.federation.Federation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The application's door to {@link Federation}: runs and explains federated SELECTs over every registered
 * database, with parameters as they come in a JSON request body.
 */
@Component
class FederatedSql {

    private final Federation federation;

    FederatedSql(Federation federation) {
        this.federation = federation;
    }

    /**
     * Runs {@code sql} with {@code params}: a JSON object binds {@code :name} parameters, a JSON array binds
     * {@code ?} parameters in order, and {@code null} means no parameters.
     *
     * @throws IllegalArgumentException if {@code params} is neither an object nor an array
     */
    Flux<Row> query(String sql, @Nullable Object params) {
        if (params == null) {
            return federation.query(sql);
        }
        if (params instanceof Map<?, ?> named) {
            return query(sql, toStringKeys(named));
        }
        if (params instanceof List<?> positional) {
            return federation.query(sql, positional.toArray());
        }
        throw new IllegalArgumentException("\"params\" must be an object (for :name parameters) or an array (for ?"
                + " parameters), not " + params);
    }

    /** Runs {@code sql} with {@code :name} parameters. */
    Flux<Row> query(String sql, Map<String, ?> params) {
        return federation.query(sql, params);
    }

    /** The plan Tributary would run for {@code sql}, as the readable tree {@code Plan.toString()} prints. */
    Mono<String> explain(String sql) {
        return federation.explain(sql).map(Object::toString);
    }

    private static Map<String, ?> toStringKeys(Map<?, ?> named) {
        LinkedHashMap<String, @Nullable Object> params = new LinkedHashMap<>();
        named.forEach((k, v) -> params.put(String.valueOf(k), v));
        return params;
    }
}
