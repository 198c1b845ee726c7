package dev.tributary.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a registry's configuration from properties ({@code tributary.databases.orders.pool.max-size}) or
 * environment-style keys ({@code TRIBUTARY_DATABASES_ORDERS_POOL_MAX_SIZE}); see
 * {@link Databases#fromProperties(Map)}.
 */
final class DatabasesProperties {

    private static final String PREFIX = "tributary.";
    private static final String ENV_PREFIX = "TRIBUTARY_";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    /** {@code replicas[0]} or {@code replicas.0}, as the third part of a dotted key. */
    private static final Pattern REPLICA = Pattern.compile("replicas\\[(\\d+)]");
    /** {@code <NAME>_REPLICAS_<i>_URL} or {@code <NAME>_REPLICAS_<i>_POOL_<OPTION>}, after TRIBUTARY_DATABASES_. */
    private static final Pattern ENV_REPLICA = Pattern.compile("(.+)_REPLICAS_(\\d+)_(URL|POOL_(.+))");

    /** The pool options by normalized name (lower case, no dashes or underscores). */
    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    static {
        intOption("initial-size", PoolSettings.Builder::initialSize);
        intOption("max-size", PoolSettings.Builder::maxSize);
        intOption("min-idle", PoolSettings.Builder::minIdle);
        durationOption("max-idle-time", PoolSettings.Builder::maxIdleTime);
        durationOption("max-life-time", PoolSettings.Builder::maxLifeTime);
        durationOption("max-acquire-time", PoolSettings.Builder::maxAcquireTime);
        durationOption("max-create-connection-time", PoolSettings.Builder::maxCreateConnectionTime);
        durationOption("max-validation-time", PoolSettings.Builder::maxValidationTime);
        stringOption("validation-query", PoolSettings.Builder::validationQuery);
        intOption("acquire-retry", PoolSettings.Builder::acquireRetry);
        stringOption("post-allocate-sql", PoolSettings.Builder::postAllocateSql);
        stringOption("pre-release-sql", PoolSettings.Builder::preReleaseSql);
    }

    private DatabasesProperties() {
    }

    /** A builder holding the databases, aliases and default the properties describe. */
    static Databases.Builder read(Map<String, ?> properties) {
        Map<String, Entry> databases = new LinkedHashMap<>();
        TransactionProperties transactions = new TransactionProperties();
        @Nullable String defaultDatabase = null;
        @Nullable String defaultKey = null;
        for (Map.Entry<String, ?> property : properties.entrySet()) {
            String key = property.getKey();
            Object value = property.getValue();
            if (key == null || value == null) {
                continue;
            }
            if (transactions.accept(key, value)) {
                continue;
            }
            Key parsed = parse(key);
            if (parsed == null) {
                continue;
            }
            if (parsed.database == null) {
                if (defaultKey != null && !defaultDatabase.equals(text(value))) {
                    throw new DatabaseConfigurationException("Both " + defaultKey + " and " + key
                            + " name the default database, differently; keep one");
                }
                defaultDatabase = text(value);
                defaultKey = key;
                continue;
            }
            Entry entry = databases.computeIfAbsent(parsed.database, name -> new Entry());
            entry.set(parsed, key, value);
        }
        Databases.Builder builder = Databases.builder();
        databases.forEach((name, entry) -> entry.register(name, builder));
        databases.forEach((name, entry) -> {
            for (String alias : entry.aliases) {
                builder.alias(alias, name);
            }
        });
        if (defaultDatabase != null) {
            builder.defaultDatabase(normalizeName(defaultDatabase, defaultKey));
        }
        TransactionSettings settings = transactions.settings();
        if (settings != null) {
            builder.transactions(settings);
        }
        return builder;
    }

    /**
     * The parsed key, or null for a key this class does not read (other modules' {@code tributary.*} keys,
     * unrelated environment variables).
     */
    private static @Nullable Key parse(String key) {
        if (key.startsWith(ENV_PREFIX)) {
            return parseEnv(key);
        }
        if (!key.startsWith(PREFIX)) {
            return null;
        }
        String rest = key.substring(PREFIX.length());
        if (normalize(rest).equals("defaultdatabase")) {
            return new Key(null, null, null, null);
        }
        String[] parts = rest.split("\\.", -1);
        if (!parts[0].equals("databases")) {
            return null;
        }
        if (parts.length >= 3 && !parts[1].isEmpty()) {
            String name = parts[1];
            Key replica = parseReplica(name, parts, key);
            if (replica != null) {
                return replica;
            }
            if (parts.length == 3 && (parts[2].equals("url") || parts[2].equals("aliases"))) {
                return new Key(name, parts[2], null, null);
            }
            if (parts.length == 4 && parts[2].equals("pool")) {
                return new Key(name, "pool", option(parts[3], key), null);
            }
        }
        throw unknownKey(key);
    }

    /** {@code replicas[i].url}, {@code replicas[i].pool.<option>}, or the same with {@code replicas.i.}; else null. */
    private static @Nullable Key parseReplica(String name, String[] parts, String key) {
        Matcher bracket = REPLICA.matcher(parts[2]);
        int at;
        Integer index;
        if (bracket.matches()) {
            index = Integer.valueOf(bracket.group(1));
            at = 3;
        } else if (parts[2].equals("replicas") && parts.length > 3 && parts[3].matches("\\d+")) {
            index = Integer.valueOf(parts[3]);
            at = 4;
        } else {
            return null;
        }
        if (parts.length == at + 1 && parts[at].equals("url")) {
            return new Key(name, "url", null, index);
        }
        if (parts.length == at + 2 && parts[at].equals("pool")) {
            return new Key(name, "pool", option(parts[at + 1], key), index);
        }
        throw unknownKey(key);
    }

    private static @Nullable Key parseEnv(String key) {
        String rest = key.substring(ENV_PREFIX.length());
        if (rest.equals("DEFAULT_DATABASE")) {
            return new Key(null, null, null, null);
        }
        if (!rest.startsWith("DATABASES_")) {
            return null;
        }
        rest = rest.substring("DATABASES_".length());
        Matcher replica = ENV_REPLICA.matcher(rest);
        if (replica.matches()) {
            String name = replica.group(1).toLowerCase(Locale.ROOT);
            Integer index = Integer.valueOf(replica.group(2));
            return replica.group(4) == null ? new Key(name, "url", null, index)
                    : new Key(name, "pool", option(replica.group(4), key), index);
        }
        int pool = rest.lastIndexOf("_POOL_");
        if (pool > 0) {
            return new Key(rest.substring(0, pool).toLowerCase(Locale.ROOT), "pool",
                    option(rest.substring(pool + "_POOL_".length()), key), null);
        }
        for (String setting : List.of("URL", "ALIASES")) {
            if (rest.endsWith("_" + setting) && rest.length() > setting.length() + 1) {
                return new Key(rest.substring(0, rest.length() - setting.length() - 1).toLowerCase(Locale.ROOT),
                        setting.toLowerCase(Locale.ROOT), null, null);
            }
        }
        throw unknownKey(key);
    }

    private static Option option(String name, String key) {
        Option option = OPTIONS.get(normalize(name));
        if (option == null) {
            throw new DatabaseConfigurationException("Unknown pool option '" + name + "' in key '" + key
                    + "'. Valid options: " + optionNames());
        }
        return option;
    }

    private static DatabaseConfigurationException unknownKey(String key) {
        return new DatabaseConfigurationException("Unknown configuration key '" + key + "'. Valid keys:"
                + " tributary.databases.<name>.url, tributary.databases.<name>.aliases,"
                + " tributary.databases.<name>.pool.<option>, tributary.databases.<name>.replicas[<i>].url,"
                + " tributary.databases.<name>.replicas[<i>].pool.<option>, tributary.default-database (or the"
                + " environment forms TRIBUTARY_DATABASES_<NAME>_URL, TRIBUTARY_DATABASES_<NAME>_POOL_<OPTION>,"
                + " TRIBUTARY_DATABASES_<NAME>_REPLICAS_<I>_URL, TRIBUTARY_DEFAULT_DATABASE); pool options: "
                + optionNames());
    }

    private static List<String> optionNames() {
        List<String> names = new ArrayList<>();
        OPTIONS.values().forEach(o -> names.add(o.name));
        return names;
    }

    private static String normalize(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static String normalizeName(String name, String key) {
        if (name.isBlank()) {
            throw new DatabaseConfigurationException("Key '" + key + "' is blank");
        }
        return key.startsWith(ENV_PREFIX) ? name.toLowerCase(Locale.ROOT) : name;
    }

    private static String text(Object value) {
        return value.toString().trim();
    }

    /**
     * A duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, ISO-8601 ({@code PT30S})
     * or a plain number of milliseconds.
     *
     * @throws IllegalArgumentException if it is none of these
     */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            return Duration.ofMillis(Long.parseLong(t));
        }
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write 250ms, 30s, 5m, 1h, 2d,"
                    + " PT30S or a number of milliseconds");
        }
    }

    private static void intOption(String name, BiConsumer<PoolSettings.Builder, Integer> setter) {
        OPTIONS.put(normalize(name), new Option(name, (b, v) -> setter.accept(b,
                v instanceof Number n ? n.intValue() : Integer.parseInt(text(v)))));
    }

    private static void durationOption(String name, BiConsumer<PoolSettings.Builder, Duration> setter) {
        OPTIONS.put(normalize(name), new Option(name, (b, v) -> setter.accept(b,
                v instanceof Duration d ? d : duration(text(v)))));
    }

    private static void stringOption(String name, BiConsumer<PoolSettings.Builder, String> setter) {
        OPTIONS.put(normalize(name), new Option(name, (b, v) -> setter.accept(b, text(v))));
    }

    private record Option(String name, BiConsumer<PoolSettings.Builder, Object> apply) {
    }

    /**
     * A parsed key: database null for the default database; setting url, aliases or pool; replica the index of
     * the replica the url or pool setting is for, null for the database (its primary) itself.
     */
    private record Key(@Nullable String database, @Nullable String setting, @Nullable Option option,
            @Nullable Integer replica) {
    }

    /** The URL and pool settings of one pool: a database's own, or one of its replicas'. */
    private static final class PoolEntry {

        private @Nullable String url;
        private @Nullable String urlKey;
        private final Map<Option, Object> pool = new LinkedHashMap<>();
        private final Map<Option, String> poolKeys = new LinkedHashMap<>();

        void set(Key parsed, String key, Object value, String what) {
            if (parsed.setting.equals("url")) {
                if (urlKey != null && !url.equals(text(value))) {
                    throw new DatabaseConfigurationException("Both " + urlKey + " and " + key + " set the URL of "
                            + what + ", differently; keep one");
                }
                url = text(value);
                urlKey = key;
            } else {
                pool.put(parsed.option, value);
                poolKeys.put(parsed.option, key);
            }
        }

        PoolSettings settings(String what) {
            PoolSettings.Builder settings = PoolSettings.builder();
            pool.forEach((option, value) -> {
                String key = poolKeys.get(option);
                try {
                    option.apply.accept(settings, value);
                } catch (IllegalArgumentException e) {
                    throw new DatabaseConfigurationException("Invalid value '" + value + "' for " + key + ": "
                            + e.getMessage(), e);
                }
            });
            try {
                return settings.build();
            } catch (IllegalArgumentException e) {
                throw new DatabaseConfigurationException("Invalid pool settings of " + what + " "
                        + poolKeys.values() + ": " + e.getMessage(), e);
            }
        }
    }

    /** What the properties say of one database. */
    private static final class Entry {

        private final PoolEntry own = new PoolEntry();
        private final List<String> aliases = new ArrayList<>();
        private final Map<Integer, PoolEntry> replicas = new java.util.TreeMap<>();

        void set(Key parsed, String key, Object value) {
            if (parsed.replica != null) {
                replicas.computeIfAbsent(parsed.replica, i -> new PoolEntry())
                        .set(parsed, key, value, "replica " + parsed.replica + " of database '" + parsed.database + "'");
            } else if (parsed.setting.equals("aliases")) {
                for (String alias : text(value).split(",")) {
                    String a = alias.trim();
                    if (!a.isEmpty() && !aliases.contains(a)) {
                        aliases.add(key.startsWith(ENV_PREFIX) ? a.toLowerCase(Locale.ROOT) : a);
                    }
                }
            } else {
                own.set(parsed, key, value, "database '" + parsed.database + "'");
            }
        }

        void register(String name, Databases.Builder builder) {
            if (own.url == null) {
                throw new DatabaseConfigurationException("Database '" + name + "' has settings "
                        + (own.poolKeys.isEmpty() ? "" : own.poolKeys.values()) + " but no URL; set tributary.databases."
                        + name + ".url (or TRIBUTARY_DATABASES_" + name.toUpperCase(Locale.ROOT) + "_URL)");
            }
            PoolSettings built = own.settings("database '" + name + "'");
            if (replicas.isEmpty()) {
                builder.database(name, own.url, built);
                return;
            }
            Databases.Replicated replicated = builder.database(name).primary(own.url, built);
            replicas.forEach((index, replica) -> {
                String what = "replica " + index + " of database '" + name + "'";
                if (replica.url == null) {
                    throw new DatabaseConfigurationException("The " + what + " has settings " + replica.poolKeys.values()
                            + " but no URL; set tributary.databases." + name + ".replicas[" + index + "].url");
                }
                replicated.replica(replica.url, replica.settings(what));
            });
        }
    }
}
