package dev.tributary.samples.web;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Flattens the Spring {@link Environment}'s {@code tributary.databases.*} and {@code tributary.default-database}
 * properties into the flat map {@code Databases.fromProperties} reads. Every source counts, with Spring's
 * precedence (command line over environment variables over {@code application.yml}) and relaxed names:
 * {@code TRIBUTARY_DATABASES_ORDERS_URL} overrides {@code tributary.databases.orders.url}.
 */
final class TributaryEnvironment {

    private static final ConfigurationPropertyName DATABASES = ConfigurationPropertyName.of("tributary.databases");
    private static final ConfigurationPropertyName DEFAULT_DATABASE = ConfigurationPropertyName.of("tributary.default-database");

    private TributaryEnvironment() {
    }

    /** The registry's properties, keyed by their canonical names ({@code tributary.databases.orders.url}). */
    static Map<String, String> databaseProperties(Environment environment) {
        Binder binder = Binder.get(environment);
        Map<String, String> flat = new TreeMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream()
                        .filter(name -> DATABASES.isAncestorOf(name) || DEFAULT_DATABASE.equals(name))
                        .forEach(name -> binder.bind(name, Bindable.of(String.class))
                                .ifBound(value -> flat.put(name.toString(), value)));
            }
        }
        return flat;
    }
}
