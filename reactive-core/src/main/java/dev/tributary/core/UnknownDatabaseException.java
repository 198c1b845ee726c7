package dev.tributary.core;

import java.util.List;

/** Signalled when a database or schema name is not registered; the message lists the names that are. */
public final class UnknownDatabaseException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> known;

    public UnknownDatabaseException(String name, List<String> known) {
        super("Unknown database '" + name + "'. Known databases and aliases: " + known
                + ". Register it with Databases.builder().database(\"" + name + "\", url) or fix the name.");
        this.name = name;
        this.known = List.copyOf(known);
    }

    /** The name that was asked for. */
    public String name() {
        return name;
    }

    /** The registered names and aliases, sorted. */
    public List<String> known() {
        return known;
    }
}
