package dev.tributary.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of the exceptions Tributary signals. Unchecked; each subclass names what went wrong and what to do
 * next. Errors raised by a driver keep their R2DBC type and reach the caller unwrapped, or as the cause of a
 * Tributary exception.
 */
public class TributaryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TributaryException(String message) {
        super(message);
    }

    public TributaryException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
