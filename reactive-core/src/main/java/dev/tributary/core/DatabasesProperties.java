package dev.tributary.core;

import java.util.Map;

/** Reads {@link Databases#fromProperties(Map)}; filled in by the properties step. */
final class DatabasesProperties {

    private DatabasesProperties() {
    }

    static Databases.Builder read(Map<String, ?> properties) {
        throw new UnsupportedOperationException("not yet");
    }
}
