package dev.tributary.core;

/**
 * Signalled by a call on a {@link Databases} registry, or on one of its {@link Database}s, after the registry
 * was {@linkplain Databases#close() closed}. Build a new registry to use the databases again.
 */
public final class RegistryClosedException extends TributaryException {

    private static final long serialVersionUID = 1L;

    public RegistryClosedException(String message) {
        super(message);
    }
}
