package dev.tributary.spring.boot;

import dev.tributary.core.Databases;

/**
 * Applies {@code tributary.transactions.*} to the registry's builder.
 *
 * <p><b>TO BE COMPLETED ON MERGE.</b> {@code TransactionSettings} (reactive-core) is being written in parallel with
 * this starter: the properties are bound ({@link TributaryProperties.Transactions}) and documented, and this is the
 * one method that passes them to the builder once that type exists, along the lines of
 * <pre>{@code
 * TransactionSettings.Builder t = TransactionSettings.builder();
 * DatabasesFactory.set("tributary.transactions.log-database", tx.logDatabase(), t::logDatabase);
 * DatabasesFactory.set("tributary.transactions.node-id", tx.nodeId(), t::nodeId);
 * DatabasesFactory.set("tributary.transactions.recover-on-start", tx.recoverOnStart(), t::recoverOnStart);
 * builder.transactions(t.build());
 * }</pre>
 * Until then the properties are bound and ignored.
 */
final class TransactionsWiring {

    private TransactionsWiring() {
    }

    /** Passes the transaction properties to {@code builder} (see the class comment). */
    static void apply(Databases.Builder builder, TributaryProperties.Transactions transactions) {
        // Completed by the lead once reactive-core's TransactionSettings is merged (see the class comment).
    }
}
