package dev.tributary.samples.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Tributary sample application: Spring Boot WebFlux over two databases, {@code customers} and
 * {@code orders} (embedded H2 by default, MariaDB and PostgreSQL with the {@code postgres} profile).
 *
 * <p>Run it from the repository root with {@code ./mvnw -q -pl samples -am compile -Prun}; it logs the
 * {@code curl} lines to try once it is up.
 */
@SpringBootApplication
public class SampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
