package dev.tributary.core.resilience;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The network-cut scenario against MariaDB at {@code TRIBUTARY_MARIADB_URL}; fails when the server is down. */
class MariaDbFailureTest {

    private static final String MARIADB_URL = System.getenv().getOrDefault("TRIBUTARY_MARIADB_URL",
            "r2dbc:mariadb://root@127.0.0.1:3306/test");

    @Test
    void whileTheNetworkIsCutQueriesFailFastWithoutTouchingThePoolAndRecoverAfter() throws Exception {
        NetworkCut.failFastWhileCutAndRecover(MARIADB_URL, 3306, ResilienceSettings.builder()
                .circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(3).waitInOpen(Duration.ofMillis(500))
                        .halfOpenTrialCalls(2).build())
                .statementTimeout(Duration.ofSeconds(10))
                .build());
    }
}
