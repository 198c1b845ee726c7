package dev.tributary.samples.web;

import dev.tributary.core.Databases;
import dev.tributary.samples.SampleData;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sample's own startup work. Everything else Tributary needs (the {@link Databases} registry from
 * {@code tributary.databases.*}, the {@code Federation}, the {@code tributary} health contributor, the meters and the
 * close at shutdown) comes from {@code tributary-spring-boot-starter}.
 */
@Configuration(proxyBeanMethods = false)
class SampleDataConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SampleDataConfiguration.class);

    /** Seeds the sample tables before the web server starts taking requests (startup thread, not an event loop). */
    @Bean
    @ConditionalOnBooleanProperty("tributary.samples.seed")
    InitializingBean sampleDataSeeder(Databases databases) {
        return () -> {
            log.info("Tributary databases: {}", databases.names());
            SampleData.seed(databases).block(Duration.ofSeconds(60));
            log.info("Seeded {} customers and {} orders", SampleData.CUSTOMER_COUNT, SampleData.ORDER_COUNT);
        };
    }
}
