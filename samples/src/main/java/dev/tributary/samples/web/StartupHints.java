package dev.tributary.samples.web;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Logs, once the application is ready, the {@code curl} lines that show what it does. */
@Component
class StartupHints implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupHints.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        String base = "http://localhost:" + web.getWebServer().getPort();
        StringBuilder sb = new StringBuilder("Tributary sample is up. Try:");
        for (String line : curlLines(base)) {
            sb.append(System.lineSeparator()).append("  ").append(line);
        }
        log.info(sb.toString());
    }

    /** The lines logged at startup, against {@code base} ({@code http://localhost:8080}). */
    static List<String> curlLines(String base) {
        return List.of(
                "curl " + base + "/api/customers/1",
                "curl " + base + "/api/revenue-by-country",
                "curl -H 'Accept: application/x-ndjson' " + base + "/api/orders",
                "curl -H 'Content-Type: application/json' -d '{\"sql\": \"SELECT c.name, o.amount FROM customers c"
                        + " JOIN orders o ON o.customer_id = c.id WHERE o.amount > :min\", \"params\": {\"min\": 400}}' "
                        + base + "/api/sql",
                "curl -H 'Content-Type: application/json' -d '{\"sql\": \"SELECT c.name, o.amount FROM customers c"
                        + " JOIN orders o ON o.customer_id = c.id\"}' " + base + "/api/explain",
                "curl " + base + "/actuator/health",
                "curl " + base + "/actuator/metrics/r2dbc.pool.acquired");
    }
}
