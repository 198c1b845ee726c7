package dev.tributary.core;

/**
 * Signalled at a database's first use in a two-phase transaction when it cannot prepare, or not durably: PostgreSQL
 * with {@code max_prepared_transactions = 0}, an H2 file database with a {@code WRITE_DELAY} (also when it holds the
 * decision log), or a kind of database without prepared transactions. Nothing has been written when it is signalled.
 * The message names the database, the setting and how to change it.
 */
public final class TwoPhaseCommitUnavailableException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String database;

    public TwoPhaseCommitUnavailableException(String database, String message) {
        super(message);
        this.database = database;
    }

    /** The database that cannot prepare. */
    public String database() {
        return database;
    }
}
