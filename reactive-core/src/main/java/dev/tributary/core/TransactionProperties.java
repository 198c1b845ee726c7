package dev.tributary.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tributary.transactions.*} keys of {@link Databases#fromProperties(Map)} (or
 * {@code TRIBUTARY_TRANSACTIONS_*}): {@code log-database}, {@code node-id}, {@code recover-on-start},
 * {@code lease-duration}, {@code table-prefix}; see {@link TransactionSettings}.
 */
final class TransactionProperties {

    private static final String PREFIX = "tributary.transactions.";
    private static final String ENV_PREFIX = "TRIBUTARY_TRANSACTIONS_";
    static final List<String> OPTIONS = List.of("log-database", "node-id", "recover-on-start", "lease-duration",
            "table-prefix");

    /** Option (kebab-case) to its value and the key it came from. */
    private final Map<String, Object[]> values = new LinkedHashMap<>();

    /** Takes the key if it is a transactions key; false for any other key. */
    boolean accept(String key, Object value) {
        String option;
        if (key.startsWith(PREFIX)) {
            option = key.substring(PREFIX.length());
        } else if (key.startsWith(ENV_PREFIX)) {
            option = key.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
        } else {
            return false;
        }
        String normalized = option.replace("_", "-").toLowerCase(Locale.ROOT);
        if (!OPTIONS.contains(normalized)) {
            throw new DatabaseConfigurationException("Unknown configuration key '" + key + "'. Valid transaction keys:"
                    + " tributary.transactions.<option> (or TRIBUTARY_TRANSACTIONS_<OPTION>) with option one of " + OPTIONS);
        }
        Object[] previous = values.get(normalized);
        if (previous != null && !String.valueOf(previous[0]).trim().equals(String.valueOf(value).trim())) {
            throw new DatabaseConfigurationException("Both " + previous[1] + " and " + key + " set " + normalized
                    + ", differently; keep one");
        }
        values.put(normalized, new Object[] {value, key});
        return true;
    }

    /** The settings, or null if no transactions key was given. */
    @Nullable TransactionSettings settings() {
        if (values.isEmpty()) {
            return null;
        }
        TransactionSettings.Builder b = TransactionSettings.builder();
        values.forEach((option, entry) -> {
            String text = String.valueOf(entry[0]).trim();
            try {
                switch (option) {
                    case "log-database" -> b.logDatabase(text);
                    case "node-id" -> b.nodeId(text);
                    case "recover-on-start" -> b.recoverOnStart(bool(text));
                    case "lease-duration" -> b.leaseDuration(entry[0] instanceof java.time.Duration d ? d
                            : DatabasesProperties.duration(text));
                    default -> b.tablePrefix(text);
                }
            } catch (IllegalArgumentException e) {
                throw new DatabaseConfigurationException("Invalid value '" + text + "' for " + entry[1] + ": "
                        + e.getMessage(), e);
            }
        });
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new DatabaseConfigurationException("Invalid transaction settings " + keys() + ": " + e.getMessage()
                    + " (set tributary.transactions.log-database and tributary.transactions.node-id)", e);
        }
    }

    private List<Object> keys() {
        return values.values().stream().map(v -> v[1]).toList();
    }

    private static boolean bool(String text) {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("'" + text + "' is not true or false");
    }
}
