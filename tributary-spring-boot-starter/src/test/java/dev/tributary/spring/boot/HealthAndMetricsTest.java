package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import reactor.test.StepVerifier;

/** The {@code tributary} health contributor and the meters, in a reactive web application context. */
class HealthAndMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class))
            .withPropertyValues(
                    "tributary.databases.customers.url=r2dbc:h2:mem:///starter_hm_customers?options=DB_CLOSE_DELAY=-1",
                    "tributary.databases.orders.url=r2dbc:h2:mem:///starter_hm_orders?options=DB_CLOSE_DELAY=-1");

    @Test
    void theTributaryContributorHasOneComponentPerDatabaseWithTheReportsDetails() {
        runner.run(context -> {
            CompositeReactiveHealthContributor tributary = context.getBean("tributaryHealthContributor",
                    CompositeReactiveHealthContributor.class);
            assertThat(tributary.stream().map(c -> c.name())).containsExactly("customers", "orders");
            ReactiveHealthIndicator orders = (ReactiveHealthIndicator) tributary.getContributor("orders");
            StepVerifier.create(orders.health())
                    .assertNext(health -> {
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails()).containsKeys("validationMillis", "maxAllocated", "utilization", "circuitBreaker");
                    })
                    .expectComplete()
                    .verify(TIMEOUT);
        });
    }

    @Test
    void aDatabaseThatCannotAnswerIsDown() {
        runner.withPropertyValues("tributary.databases.gone.url=r2dbc:postgresql://nobody@127.0.0.1:1/gone",
                        "tributary.health.validation-timeout=2s")
                .run(context -> {
                    CompositeReactiveHealthContributor tributary = context.getBean("tributaryHealthContributor",
                            CompositeReactiveHealthContributor.class);
                    StepVerifier.create(((ReactiveHealthIndicator) tributary.getContributor("gone")).health())
                            .assertNext(health -> assertThat(health.getStatus()).isEqualTo(Status.DOWN))
                            .expectComplete()
                            .verify(TIMEOUT);
                });
    }

    @Test
    void theContributorCanBeTurnedOffOrReplaced() {
        runner.withPropertyValues("management.health.tributary.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("tributaryHealthContributor"));
        ReactiveHealthIndicator own = () -> reactor.core.publisher.Mono.just(
                org.springframework.boot.health.contributor.Health.up().build());
        runner.withBean("tributaryHealthContributor", ReactiveHealthIndicator.class, () -> own)
                .run(context -> assertThat(context.getBean("tributaryHealthContributor")).isSameAs(own));
    }

    @Test
    void withAMeterRegistryThePoolGaugesAndBreakerMetersAreRegisteredPerDatabase() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("r2dbc.pool.max.allocated").tag("name", "orders").gauge()).isNotNull();
                    assertThat(registry.find("r2dbc.pool.acquired").tag("name", "customers").gauge()).isNotNull();
                    assertThat(registry.find("tributary.circuitbreaker.state").tags("name", "orders").meters()).isNotEmpty();
                });
    }

    @Test
    void withoutMicrometerThereIsNoBinder() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(TributaryMeterBinder.class));
    }

    @Test
    void withoutSpringBootHealthThereIsNoContributor() {
        runner.withClassLoader(new FilteredClassLoader(ReactiveHealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean("tributaryHealthContributor"));
    }
}
