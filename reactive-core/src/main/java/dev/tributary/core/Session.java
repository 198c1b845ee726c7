package dev.tributary.core;

/**
 * The SQL calls available inside {@link Database#inTransaction}: every call runs on the transaction's one
 * connection. A session is valid only while the transaction's publisher is active.
 */
public interface Session extends SqlOperations {
}
