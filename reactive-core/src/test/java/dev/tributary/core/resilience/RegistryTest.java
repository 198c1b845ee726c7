package dev.tributary.core.resilience;

import dev.tributary.core.Databases;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** Base of the tests on real databases: the servers' URLs, a timeout, and a registry closed after each test. */
abstract class RegistryTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String PG_URL = System.getenv().getOrDefault("TRIBUTARY_PG_URL",
            "r2dbc:postgresql://postgres@127.0.0.1:5432/test");
    static final String MARIADB_URL = System.getenv().getOrDefault("TRIBUTARY_MARIADB_URL",
            "r2dbc:mariadb://root@127.0.0.1:3306/test");

    /** The registry under test; closed after each test. */
    Databases databases;

    @AfterEach
    void closeRegistry() {
        if (databases != null) {
            databases.close().block(TIMEOUT);
        }
    }

    /** A named H2 in-memory database URL, kept open between connections. */
    static String h2(String name) {
        return "r2dbc:h2:mem:///res_" + name + "?options=DB_CLOSE_DELAY=-1";
    }
}
