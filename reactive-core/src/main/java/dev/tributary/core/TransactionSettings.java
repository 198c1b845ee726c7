package dev.tributary.core;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a registry runs transactions across databases ({@link Databases.Builder#transactions}): where the decision
 * log lives, the id of this application instance, the lease that tells other instances it is alive, and whether
 * recovery runs when the registry is built. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>logDatabase</td><td>{@code tributary.transactions.log-database}</td><td>required</td><td>the registered
 *       database (PostgreSQL, MariaDB or H2) holding the decision log tables</td></tr>
 *   <tr><td>nodeId</td><td>{@code tributary.transactions.node-id}</td><td>required</td><td>this instance's id, unique
 *       among the instances sharing the log and stable across restarts: 1 to 32 letters, digits, {@code _} or
 *       {@code -}</td></tr>
 *   <tr><td>recoverOnStart</td><td>{@code tributary.transactions.recover-on-start}</td><td>true</td><td>run
 *       {@link Databases#recover()} in the background when the registry is built</td></tr>
 *   <tr><td>leaseDuration</td><td>{@code tributary.transactions.lease-duration}</td><td>30 s</td><td>how long this
 *       instance counts as alive after its last heartbeat (renewed every third of it)</td></tr>
 *   <tr><td>tablePrefix</td><td>{@code tributary.transactions.table-prefix}</td><td>{@code tributary_tx}</td><td>the
 *       log tables are {@code <prefix>_log}, {@code <prefix>_node}, {@code <prefix>_compensation}; saga markers go
 *       to {@code <prefix>_step} in each database</td></tr>
 * </table>
 */
public final class TransactionSettings {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

    private final String logDatabase;
    private final String nodeId;
    private final boolean recoverOnStart;
    private final Duration leaseDuration;
    private final String tablePrefix;

    private TransactionSettings(Builder b, String logDatabase, String nodeId) {
        this.logDatabase = logDatabase;
        this.nodeId = nodeId;
        this.recoverOnStart = b.recoverOnStart;
        this.leaseDuration = b.leaseDuration;
        this.tablePrefix = b.tablePrefix;
    }

    /** A builder; {@link Builder#logDatabase} and {@link Builder#nodeId} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The registered database (or alias) holding the decision log. */
    public String logDatabase() {
        return logDatabase;
    }

    /** This instance's id, carried by every global transaction id it creates. */
    public String nodeId() {
        return nodeId;
    }

    /** Whether recovery runs in the background when the registry is built. */
    public boolean recoverOnStart() {
        return recoverOnStart;
    }

    /** How long this instance counts as alive after its last heartbeat. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The prefix of the log tables' names. */
    public String tablePrefix() {
        return tablePrefix;
    }

    @Override
    public String toString() {
        return "TransactionSettings[logDatabase=" + logDatabase + ", nodeId=" + nodeId + ", recoverOnStart="
                + recoverOnStart + ", leaseDuration=" + leaseDuration + ", tablePrefix=" + tablePrefix + "]";
    }

    /** A validating builder: each setter checks its argument, {@link #build()} that the required ones are set. */
    public static final class Builder {

        private @Nullable String logDatabase;
        private @Nullable String nodeId;
        private boolean recoverOnStart = true;
        private Duration leaseDuration = Duration.ofSeconds(30);
        private String tablePrefix = "tributary_tx";

        private Builder() {
        }

        /**
         * The registered database (or alias) that holds the decision log; the tables are created there when missing.
         *
         * @throws IllegalArgumentException if it is blank
         */
        public Builder logDatabase(String logDatabase) {
            Objects.requireNonNull(logDatabase, "logDatabase");
            if (logDatabase.isBlank()) {
                throw new IllegalArgumentException("logDatabase must not be blank");
            }
            this.logDatabase = logDatabase;
            return this;
        }

        /**
         * This instance's id: unique among the instances sharing the log, the same after a restart.
         *
         * @throws IllegalArgumentException unless it is 1 to 32 letters, digits, {@code _} or {@code -}
         */
        public Builder nodeId(String nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (!NODE_ID.matcher(nodeId).matches()) {
                throw new IllegalArgumentException("nodeId must be 1 to 32 letters, digits, '_' or '-', was '" + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        /** Whether recovery runs in the background when the registry is built (default true). */
        public Builder recoverOnStart(boolean recoverOnStart) {
            this.recoverOnStart = recoverOnStart;
            return this;
        }

        /**
         * How long this instance counts as alive after its last heartbeat (default 30 s); make it longer than the
         * clock skew between instances and any pause of the process.
         *
         * @throws IllegalArgumentException if it is under 100 ms
         */
        public Builder leaseDuration(Duration leaseDuration) {
            Objects.requireNonNull(leaseDuration, "leaseDuration");
            if (leaseDuration.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("leaseDuration must be at least 100ms, was " + leaseDuration);
            }
            this.leaseDuration = leaseDuration;
            return this;
        }

        /**
         * The prefix of the log tables' names (default {@code tributary_tx}).
         *
         * @throws IllegalArgumentException unless it is a letter or {@code _} then up to 39 letters, digits or {@code _}
         */
        public Builder tablePrefix(String tablePrefix) {
            Objects.requireNonNull(tablePrefix, "tablePrefix");
            if (!TABLE_PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("tablePrefix must be a letter or '_' then up to 39 letters, digits"
                        + " or '_', was '" + tablePrefix + "'");
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if logDatabase or nodeId is not set
         */
        public TransactionSettings build() {
            if (logDatabase == null) {
                throw new IllegalArgumentException("logDatabase is required: name the registered database that holds"
                        + " the decision log (TransactionSettings.builder().logDatabase(name))");
            }
            if (nodeId == null) {
                throw new IllegalArgumentException("nodeId is required: give this application instance an id that is"
                        + " unique among the instances sharing the log and stable across restarts");
            }
            return new TransactionSettings(this, logDatabase, nodeId);
        }
    }
}
