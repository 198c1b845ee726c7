package dev.tributary.core;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where Flyway connects for a database: a JDBC URL with its user and password, given in {@link MigrationSettings}
 * or derived from the database's R2DBC URL. JDBC is used for migrations only, off the event loop.
 */
record JdbcTarget(String url, @Nullable String user, @Nullable String password) {

    private static final Option<String> H2_OPTIONS = Option.valueOf("options");
    private static final Option<String> PG_SCHEMA = Option.valueOf("schema");

    @Override
    public String toString() {
        return ConnectionFactoryResolver.mask(url) + (user == null ? "" : " as " + user);
    }

    /**
     * The target of {@code database}: the settings' JDBC URL, else one derived from {@code r2dbcUrl}; the settings'
     * user and password override the URL's.
     *
     * @throws DatabaseConfigurationException if there is no JDBC URL and none can be derived
     */
    static JdbcTarget of(String database, @Nullable String r2dbcUrl, MigrationSettings settings) {
        JdbcTarget target;
        if (settings.jdbcUrl() != null) {
            target = new JdbcTarget(settings.jdbcUrl(), null, null);
        } else if (r2dbcUrl == null) {
            throw new DatabaseConfigurationException("Database '" + database + "' was registered on a ConnectionFactory,"
                    + " so no JDBC URL can be derived for its migrations; set one with MigrationSettings.builder()"
                    + ".jdbcUrl(...) (property tributary.databases." + database + ".migration.jdbc-url)");
        } else {
            target = derive(database, r2dbcUrl);
        }
        return new JdbcTarget(target.url, settings.user() != null ? settings.user() : target.user,
                settings.password() != null ? settings.password() : target.password);
    }

    /**
     * The JDBC URL of an R2DBC URL: {@code r2dbc:postgresql://u@h:5432/db} gives {@code jdbc:postgresql://h:5432/db},
     * (its {@code schema} option becoming {@code currentSchema}), {@code r2dbc:mariadb://...} (or {@code mysql}) {@code jdbc:mariadb://...}, {@code r2dbc:h2:mem:///name?options=A=1}
     * {@code jdbc:h2:mem:name;A=1}, {@code r2dbc:h2:file:////abs/path} {@code jdbc:h2:file:/abs/path} and
     * {@code r2dbc:h2:tcp://h:9092/path} {@code jdbc:h2:tcp://h:9092/path}. An {@code r2dbc:pool:} prefix is
     * looked through.
     *
     * @throws DatabaseConfigurationException for another driver or a malformed URL
     */
    static JdbcTarget derive(String database, String r2dbcUrl) {
        ConnectionFactoryOptions options;
        try {
            options = ConnectionFactoryOptions.parse(r2dbcUrl);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DatabaseConfigurationException("Database '" + database + "': malformed R2DBC URL '"
                    + ConnectionFactoryResolver.mask(r2dbcUrl) + "'; cannot derive a JDBC URL for its migrations", e);
        }
        String driver = text(options, ConnectionFactoryOptions.DRIVER);
        String protocol = text(options, ConnectionFactoryOptions.PROTOCOL);
        if ("pool".equals(driver) && protocol != null) {
            int colon = protocol.indexOf(':');
            driver = colon < 0 ? protocol : protocol.substring(0, colon);
            protocol = colon < 0 ? null : protocol.substring(colon + 1);
        }
        String db = text(options, ConnectionFactoryOptions.DATABASE);
        String host = text(options, ConnectionFactoryOptions.HOST);
        Object port = options.getValue(ConnectionFactoryOptions.PORT);
        String user = text(options, ConnectionFactoryOptions.USER);
        CharSequence pw = (CharSequence) options.getValue(ConnectionFactoryOptions.PASSWORD);
        String password = pw == null ? null : pw.toString();
        String hostPort = host + (port == null ? "" : ":" + port);
        String url = switch (driver == null ? "" : driver.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres" -> "jdbc:postgresql://" + hostPort + "/" + (db == null ? "" : db)
                    + (options.hasOption(PG_SCHEMA) ? "?currentSchema=" + text(options, PG_SCHEMA) : "");
            case "mariadb", "mysql" -> "jdbc:mariadb://" + hostPort + "/" + (db == null ? "" : db);
            case "h2" -> h2(database, r2dbcUrl, protocol, db, hostPort, text(options, H2_OPTIONS));
            default -> throw new DatabaseConfigurationException("Database '" + database + "': cannot derive a JDBC URL"
                    + " for its migrations from '" + ConnectionFactoryResolver.mask(r2dbcUrl) + "' (driver '" + driver
                    + "'); set one with MigrationSettings.builder().jdbcUrl(...) (property tributary.databases." + database
                    + ".migration.jdbc-url)");
        };
        return new JdbcTarget(url, user, password);
    }

    private static String h2(String database, String r2dbcUrl, @Nullable String protocol, @Nullable String db,
            String hostPort, @Nullable String h2Options) {
        if (db == null || db.isBlank()) {
            throw new DatabaseConfigurationException("Database '" + database + "': the H2 URL '" + r2dbcUrl
                    + "' names no database; cannot derive a JDBC URL for its migrations");
        }
        String base = switch (protocol == null ? "" : protocol) {
            case "mem" -> "jdbc:h2:mem:" + db;
            case "file" -> "jdbc:h2:file:" + db;
            case "tcp" -> "jdbc:h2:tcp://" + hostPort + "/" + db;
            default -> throw new DatabaseConfigurationException("Database '" + database + "': the H2 URL '" + r2dbcUrl
                    + "' is neither mem, file nor tcp; set a JDBC URL for its migrations with"
                    + " MigrationSettings.builder().jdbcUrl(...)");
        };
        return h2Options == null || h2Options.isBlank() ? base : base + ";" + h2Options;
    }

    private static @Nullable String text(ConnectionFactoryOptions options, Option<?> option) {
        Object value = options.getValue(option);
        return value == null ? null : value.toString();
    }
}
