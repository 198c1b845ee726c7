package dev.tributary.core;

/**
 * Signalled by {@link Databases#migrate()} when Flyway fails on a database (a migration's SQL fails, a checksum
 * no longer matches, the database cannot be reached over JDBC). The message names the database, the JDBC URL
 * (password masked) and the locations; the cause is Flyway's exception.
 */
public final class MigrationFailedException extends TributaryException {

    private static final long serialVersionUID = 1L;

    public MigrationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
