package dev.tributary.core;

import org.jspecify.annotations.Nullable;

/**
 * A step of a transaction, as {@link TributaryListener} sees it.
 *
 * @param transactionId the global transaction id of a transaction across databases ({@code Databases.inTransaction});
 *     null for a transaction on one database ({@code Database.inTransaction})
 * @param database the database of a transaction on one database, or the database that prepares; null for a step of
 *     a transaction across databases as a whole
 */
public record TransactionEvent(@Nullable String transactionId, @Nullable String database) {
}
