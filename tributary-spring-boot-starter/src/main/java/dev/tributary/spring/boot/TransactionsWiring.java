package dev.tributary.spring.boot;

import dev.tributary.core.Databases;
import dev.tributary.core.TransactionSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Applies {@code tributary.transactions.*} to the registry's builder: when {@code log-database} is set, the
 * {@link TransactionSettings} built from {@code log-database}, {@code node-id} (default: this host's name),
 * {@code recover-on-start}, {@code lease-duration} and {@code table-prefix}; otherwise nothing, and transactions across
 * databases stay off. A value {@link TransactionSettings.Builder} refuses fails naming its key, as the other
 * bindings do ({@link DatabasesFactory}).
 */
final class TransactionsWiring {

    private static final String KEY = "tributary.transactions";

    private TransactionsWiring() {
    }

    /** Passes the transaction properties to {@code builder} (see the class comment). */
    static void apply(Databases.Builder builder, TributaryProperties.Transactions transactions) {
        if (transactions.logDatabase() == null) {
            return;
        }
        TransactionSettings.Builder t = TransactionSettings.builder();
        DatabasesFactory.set(KEY + ".log-database", transactions.logDatabase(), t::logDatabase);
        String nodeId = transactions.nodeId() != null ? transactions.nodeId() : hostNodeId();
        DatabasesFactory.set(KEY + ".node-id", nodeId, t::nodeId);
        DatabasesFactory.set(KEY + ".recover-on-start", transactions.recoverOnStart(), t::recoverOnStart);
        DatabasesFactory.set(KEY + ".lease-duration", transactions.leaseDuration(), t::leaseDuration);
        DatabasesFactory.set(KEY + ".table-prefix", transactions.tablePrefix(), t::tablePrefix);
        builder.transactions(t.build());
    }

    /** This host's name, cut to what a node id allows (letters, digits, '_' and '-', at most 32). */
    static String hostNodeId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "node";
            }
        }
        String id = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        return id.isEmpty() ? "node" : id.substring(0, Math.min(32, id.length()));
    }
}
