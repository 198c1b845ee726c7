package dev.tributary.spring.boot;

import dev.tributary.core.Databases;
import dev.tributary.core.TributaryListener;
import dev.tributary.core.TributaryObservations;
import dev.tributary.federation.Federation;
import dev.tributary.federation.FederationOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tributary for Spring Boot: the {@link Databases} registry from {@code tributary.*} ({@link TributaryProperties}),
 * closed gracefully when the application stops; a {@link Federation} over it when {@code reactive-federation} is on
 * the classpath; the {@code tributary} health contributor with one component per database; Tributary's meters in
 * every Micrometer registry; and Flyway migrations at startup when Flyway is on the classpath. Every bean backs off
 * when the application defines its own. Every {@link TributaryListener} bean is registered on the registry, and its
 * calls are observed in the application's {@code ObservationRegistry} when there is one.
 */
@AutoConfiguration
@EnableConfigurationProperties(TributaryProperties.class)
public final class TributaryAutoConfiguration {

    /**
     * The registry. Spring must not call {@code close()} itself (it returns a {@code Mono} that needs subscribing):
     * {@link #tributaryDatabasesLifecycle} closes it.
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    Databases tributaryDatabases(TributaryProperties properties, ObjectProvider<TributaryListener> listeners,
            ObjectProvider<BuilderCustomizer> customizers) {
        Databases.Builder builder = DatabasesFactory.builder(properties);
        TransactionsWiring.apply(builder, properties.transactions());
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return DatabasesFactory.build(builder, properties);
    }

    /** A change to the registry's builder before it is built (the observation registry is set through one). */
    @FunctionalInterface
    interface BuilderCustomizer {

        void customize(Databases.Builder builder);
    }

    /** Micrometer observations of every call, in the application's {@code ObservationRegistry} when it has one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
    static class Observations {

        @Bean
        BuilderCustomizer tributaryObservations(ObjectProvider<ObservationRegistry> registry) {
            return builder -> registry.ifAvailable(r -> builder.observations(TributaryObservations.of(r)));
        }
    }

    /** Closes every {@link Databases} bean, without blocking, after the web server has stopped. */
    @Bean
    DatabasesLifecycle tributaryDatabasesLifecycle(ObjectProvider<Databases> databases) {
        return new DatabasesLifecycle(databases.orderedStream().toList());
    }

    /** Flyway migrations of every {@link Databases} bean at startup ({@code tributary.migration.enabled}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    @ConditionalOnBooleanProperty(name = "tributary.migration.enabled", matchIfMissing = true)
    static class Migrations {

        @Bean
        static MigrationsOnStart tributaryMigrationsOnStart() {
            return new MigrationsOnStart();
        }
    }

    /** Federated SELECTs over the registry, with {@code tributary.federation.*}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Federation.class)
    static class FederationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        Federation tributaryFederation(Databases databases, TributaryProperties properties) {
            return Federation.over(databases, options(properties.federation()));
        }

        static FederationOptions options(TributaryProperties.Federation f) {
            FederationOptions.Builder b = FederationOptions.builder();
            String key = "tributary.federation";
            DatabasesFactory.set(key + ".memory-budget", f.memoryBudget(), size -> b.memoryBudget(size.toBytes()));
            DatabasesFactory.set(key + ".dynamic-filter-max-keys", f.dynamicFilterMaxKeys(), b::dynamicFilterMaxKeys);
            DatabasesFactory.set(key + ".probe-prefetch", f.probePrefetch(), b::probePrefetch);
            DatabasesFactory.set(key + ".in-list-batch-size", f.inListBatchSize(), b::inListBatchSize);
            DatabasesFactory.set(key + ".catalog-max-age", f.catalogMaxAge(), b::catalogMaxAge);
            return b.build();
        }
    }

    /** {@code /actuator/health}: {@code tributary} with one {@link DatabaseHealthIndicator} per database. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ReactiveHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("tributary")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "tributaryHealthContributor")
        CompositeReactiveHealthContributor tributaryHealthContributor(Databases databases) {
            Map<String, DatabaseHealthIndicator> indicators = new LinkedHashMap<>();
            for (String name : databases.names()) {
                indicators.put(name, new DatabaseHealthIndicator(databases.get(name)));
            }
            return CompositeReactiveHealthContributor.fromMap(indicators);
        }
    }

    /** Tributary's meters in every registry Spring Boot configures. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        TributaryMeterBinder tributaryMeterBinder(Databases databases) {
            return new TributaryMeterBinder(databases);
        }
    }
}
