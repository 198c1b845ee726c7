package dev.tributary.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.PoolMetrics;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class TributaryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void poolGaugesUseSpringBootsNamesTaggedWithTheDatabaseAndFollowThePool() {
        AtomicReference<PoolMetrics> pool = new AtomicReference<>(new PoolMetrics(3, 2, 1, 0, 10, 100));
        Disposable binding = TributaryMetrics.bindPool(registry, "orders", pool::get);
        assertThat(registry.get("r2dbc.pool.acquired").tag("name", "orders").gauge().value()).isEqualTo(2);
        assertThat(registry.get("r2dbc.pool.allocated").tag("name", "orders").gauge().value()).isEqualTo(3);
        assertThat(registry.get("r2dbc.pool.idle").tag("name", "orders").gauge().value()).isEqualTo(1);
        assertThat(registry.get("r2dbc.pool.pending").tag("name", "orders").gauge().value()).isEqualTo(0);
        assertThat(registry.get("r2dbc.pool.max.allocated").tag("name", "orders").gauge().value()).isEqualTo(10);
        assertThat(registry.get("r2dbc.pool.max.pending").tag("name", "orders").gauge().value()).isEqualTo(100);
        pool.set(new PoolMetrics(10, 10, 0, 4, 10, 100));
        assertThat(registry.get("r2dbc.pool.pending").tag("name", "orders").gauge().value()).isEqualTo(4);
        binding.dispose();
        assertThat(registry.find("r2dbc.pool.acquired").gauges()).isEmpty();
    }

    @Test
    void breakerStateTransitionsRefusalsAndQueryTimesAreRecorded() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        CircuitBreaker breaker = CircuitBreaker.of("orders", CircuitBreakerSettings.builder().consecutiveFailures(1).build(), clock);
        Disposable binding = TributaryMetrics.bindCircuitBreaker(registry, breaker);
        assertThat(registry.get("tributary.circuitbreaker.state").tags("name", "orders", "state", "closed").gauge().value()).isEqualTo(1);

        Mono.delay(Duration.ofMillis(40), clock).transformDeferred(breaker.operator()).subscribe();
        clock.advanceTimeBy(Duration.ofMillis(40));
        Mono.error(new R2dbcNonTransientResourceException("refused")).transformDeferred(breaker.operator())
                .onErrorResume(e -> Mono.empty()).subscribe();
        Mono.just(1).transformDeferred(breaker.operator()).onErrorResume(e -> Mono.empty()).subscribe();

        assertThat(registry.get("tributary.circuitbreaker.state").tags("name", "orders", "state", "open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("tributary.circuitbreaker.state").tags("name", "orders", "state", "closed").gauge().value()).isEqualTo(0);
        assertThat(registry.get("tributary.circuitbreaker.transitions").tags("name", "orders", "from", "closed", "to", "open")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("tributary.circuitbreaker.not.permitted").tag("name", "orders").counter().count()).isEqualTo(1);
        var success = registry.get("tributary.query").tags("name", "orders", "outcome", "success").timer();
        assertThat(success.count()).isEqualTo(1);
        assertThat(success.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(registry.get("tributary.query").tags("name", "orders", "outcome", "failure").timer().count()).isEqualTo(1);

        binding.dispose();
        assertThat(registry.find("tributary.circuitbreaker.state").gauges()).isEmpty();
        assertThat(registry.find("tributary.query").timers()).isEmpty();
    }
}
