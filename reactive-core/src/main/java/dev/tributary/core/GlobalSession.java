package dev.tributary.core;

/**
 * The work of one transaction across databases, handed to {@code Databases.inTransaction}: {@link #on(String)}
 * gives the {@link Session} of each database the work touches. The first call for a database opens a connection
 * there and begins a local transaction on it; later calls return the same session. Work on several databases may
 * run concurrently. A global session is valid only while the publisher returned to {@code inTransaction} is
 * active.
 */
public interface GlobalSession {

    /**
     * The session of {@code database} (a registered name or alias) in this transaction, opened on first use.
     *
     * @throws UnknownDatabaseException if no database or alias of that name is registered
     */
    Session on(String database);
}
