package dev.tributary.core.resilience;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The network-cut scenario against MariaDB at {@code TRIBUTARY_MARIADB_URL}; fails when the server is down. */
class MariaDbFailureTest extends RegistryTest {

    @Test
    void whileTheNetworkIsCutQueriesFailFastWithoutTouchingThePoolAndRecoverAfter() throws Exception {
        NetworkCut.failFastWhileCutAndRecover(MARIADB_URL, 3306, ResilienceSettings.builder()
                .circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(3).waitInOpen(Duration.ofMillis(500))
                        .halfOpenTrialCalls(2).build())
                .statementTimeout(Duration.ofSeconds(10))
                .build());
    }
}
