package dev.tributary.core;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ConnectionFactoryProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/** Turns a database's R2DBC URL into a connection factory, with errors that name the database and the URL. */
final class ConnectionFactoryResolver {

    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/@:?#]*):[^/@?#]*@");
    private static final Pattern OPTION_PASSWORD = Pattern.compile("(?i)([?&]password=)[^&#]*");

    private ConnectionFactoryResolver() {
    }

    /**
     * The connection factory for {@code url}.
     *
     * @throws DatabaseConfigurationException if the URL is malformed or no driver on the classpath accepts it
     */
    static ConnectionFactory resolve(String database, String url) {
        ConnectionFactoryOptions options;
        try {
            options = ConnectionFactoryOptions.parse(url);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DatabaseConfigurationException("Database '" + database + "': malformed R2DBC URL '" + mask(url)
                    + "' (" + mask(String.valueOf(e.getMessage())) + "). Expected r2dbc:<driver>://[user[:password]@]host[:port]/database"
                    + " or r2dbc:h2:mem:///name", null);
        }
        ConnectionFactory factory;
        try {
            factory = ConnectionFactories.find(options);
        } catch (RuntimeException e) {
            throw new DatabaseConfigurationException("Database '" + database + "': the driver rejected the URL '"
                    + mask(url) + "': " + mask(String.valueOf(e.getMessage())), null);
        }
        if (factory == null) {
            Object driver = options.hasOption(ConnectionFactoryOptions.DRIVER)
                    ? options.getValue(ConnectionFactoryOptions.DRIVER) : "(none)";
            throw new DatabaseConfigurationException("Database '" + database + "': no R2DBC driver on the classpath"
                    + " accepts driver '" + driver + "' of URL '" + mask(url) + "'. Drivers found: " + drivers()
                    + ". Add the driver's jar (for example org.postgresql:r2dbc-postgresql) or fix the URL.");
        }
        return factory;
    }

    /** The URL with any password replaced by {@code ****}. */
    static String mask(String url) {
        String masked = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:****@");
        return OPTION_PASSWORD.matcher(masked).replaceAll("$1****");
    }

    /** The driver names of the {@link ConnectionFactoryProvider}s on the classpath. */
    static List<String> drivers() {
        List<String> drivers = new ArrayList<>();
        for (ConnectionFactoryProvider provider : ServiceLoader.load(ConnectionFactoryProvider.class,
                ConnectionFactoryResolver.class.getClassLoader())) {
            drivers.add(provider.getDriver());
        }
        return drivers;
    }
}
