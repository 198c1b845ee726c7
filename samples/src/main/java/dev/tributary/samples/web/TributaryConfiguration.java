package dev.tributary.samples.web;

import dev.tributary.core.Databases;
import dev.tributary.core.health.TributaryMetrics;
import dev.tributary.federation.Federation;
import io.micrometer.core.instrument.binder.MeterBinder;
import dev.tributary.samples.SampleData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The Tributary beans: the {@link Databases} registry read from {@code tributary.databases.*}, the sample
 * data seeded at startup, a health indicator per database and Tributary's Micrometer meters. The registry is closed
 * (every pool disposed) when the application shuts down, after the web server has drained its requests.
 */
@Configuration(proxyBeanMethods = false)
class TributaryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TributaryConfiguration.class);

    /** The registry. Spring must not call {@code close()} itself: it returns a Mono that needs subscribing. */
    @Bean(destroyMethod = "")
    Databases databases(Environment environment) {
        Map<String, String> properties = TributaryEnvironment.databaseProperties(environment);
        Databases databases = Databases.fromProperties(properties);
        log.info("Tributary databases: {}", databases.names());
        return databases;
    }

    /** Federated SELECTs over every database of the registry. */
    @Bean
    Federation federation(Databases databases) {
        return Federation.over(databases);
    }

    @Bean
    DisposableBean databasesShutdown(Databases databases) {
        return () -> {
            databases.close().block(Duration.ofSeconds(30));
            log.info("Tributary databases closed: every pool disposed");
        };
    }

    /** Seeds the sample tables before the web server starts taking requests. */
    @Bean
    @ConditionalOnBooleanProperty("tributary.samples.seed")
    InitializingBean sampleDataSeeder(Databases databases) {
        return () -> {
            SampleData.seed(databases).block(Duration.ofSeconds(60));
            log.info("Seeded {} customers and {} orders", SampleData.CUSTOMER_COUNT, SampleData.ORDER_COUNT);
        };
    }

    /** One health indicator per database, shown under {@code tributary} at {@code /actuator/health}. */
    @Bean
    CompositeReactiveHealthContributor tributaryHealthContributor(Databases databases) {
        Map<String, DatabaseHealthIndicator> indicators = new LinkedHashMap<>();
        for (String name : databases.names()) {
            indicators.put(name, new DatabaseHealthIndicator(databases.get(name)));
        }
        return CompositeReactiveHealthContributor.fromMap(indicators);
    }

    /** Pool gauges ({@code r2dbc.pool.*}), breaker state and transitions, and the query timer, per database. */
    @Bean
    MeterBinder tributaryMetrics(Databases databases) {
        return registry -> TributaryMetrics.bindTo(registry, databases);
    }
}
