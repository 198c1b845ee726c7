package dev.tributary.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Loads the library's classes again in a class loader that cannot see Micrometer, and runs the breaker, the
 * resilience guards and a health check there.
 */
class WithoutMicrometerTest {

    @Test
    void resilienceAndHealthWorkWithoutMicrometerOnTheClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("micrometer")) {
                urls.add(java.nio.file.Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> scenario = isolated.loadClass(Scenario.class.getName());
            @SuppressWarnings("unchecked")
            Supplier<String> run = (Supplier<String>) scenario.getDeclaredConstructor().newInstance();
            assertThat(run.get()).isEqualTo("CLOSED 1 DOWN OPEN");
        }
    }

    /** Runs inside the isolated class loader. */
    public static final class Scenario implements Supplier<String> {
        @Override
        public String get() {
            var clock = reactor.test.scheduler.VirtualTimeScheduler.create();
            var resilience = dev.tributary.core.resilience.Resilience.of("orders",
                    dev.tributary.core.resilience.ResilienceSettings.defaults(), clock);
            var breaker = resilience.circuitBreaker();
            StringBuilder out = new StringBuilder(breaker.state().name());
            resilience.query(reactor.core.publisher.Flux.just(1)).subscribe(i -> out.append(' ').append(i));
            for (int i = 0; i < 5; i++) {
                breaker.guard(reactor.core.publisher.Mono.error(new java.io.IOException("down"))).subscribe(x -> { }, e -> { });
            }
            dev.tributary.core.health.HealthCheck.check("orders", dev.tributary.core.health.HealthSettings.defaults(),
                            reactor.core.publisher.Mono.just(1), () -> new dev.tributary.core.PoolMetrics(1, 0, 1, 0, 10, 10),
                            breaker, clock)
                    .subscribe(r -> out.append(' ').append(r.status()).append(' ').append(r.breakerState()));
            return out.toString();
        }
    }
}
