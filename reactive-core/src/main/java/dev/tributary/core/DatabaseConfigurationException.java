package dev.tributary.core;

import org.jspecify.annotations.Nullable;

/**
 * Signalled when a database cannot be registered as configured: a malformed URL (the message masks the
 * password), no driver on the classpath for the URL (the message lists the drivers found), a duplicate name,
 * an alias to a missing database, or an invalid pool setting read from properties.
 */
public final class DatabaseConfigurationException extends TributaryException {

    private static final long serialVersionUID = 1L;

    public DatabaseConfigurationException(String message) {
        super(message);
    }

    public DatabaseConfigurationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
