package dev.tributary.core;

import java.util.Locale;

/**
 * What Tributary needs to know of a database's SQL: how bind markers are written, how identifiers are
 * quoted, and how unquoted identifiers fold their case. Detected from the driver's metadata name.
 */
public enum Dialect {

    /** PostgreSQL: {@code $1} markers, {@code "double quotes"}, unquoted names fold to lower case. */
    POSTGRESQL('"', true, false),
    /** H2: {@code $1} markers, {@code "double quotes"}, unquoted names fold to upper case. */
    H2('"', true, true),
    /** MariaDB and MySQL: {@code ?} markers, {@code `backticks`}, names kept as written. */
    MARIADB('`', false, false),
    /** Any other database: {@code ?} markers, {@code "double quotes"}, names kept as written. */
    GENERIC('"', false, false);

    private final char quote;
    private final boolean dollarMarkers;
    private final boolean foldsUpper;

    Dialect(char quote, boolean dollarMarkers, boolean foldsUpper) {
        this.quote = quote;
        this.dollarMarkers = dollarMarkers;
        this.foldsUpper = foldsUpper;
    }

    /**
     * The dialect for a driver, from {@code ConnectionFactoryMetadata.getName()} ("PostgreSQL", "H2",
     * "MariaDB", "MySQL"); {@link #GENERIC} for any other.
     */
    public static Dialect fromDriverName(String driverName) {
        String n = driverName.toLowerCase(Locale.ROOT);
        if (n.contains("postgres")) {
            return POSTGRESQL;
        }
        if (n.equals("h2") || n.startsWith("h2 ")) {
            return H2;
        }
        if (n.contains("mariadb") || n.contains("mysql")) {
            return MARIADB;
        }
        return GENERIC;
    }

    /** The bind marker for the parameter at {@code index}, 0-based: {@code $1} or {@code ?}. */
    public String bindMarker(int index) {
        return dollarMarkers ? "$" + (index + 1) : "?";
    }

    /** Whether bind markers are numbered ({@code $1}) rather than positional ({@code ?}). */
    public boolean numberedBindMarkers() {
        return dollarMarkers;
    }

    /** The identifier quoted for this database, with embedded quote characters doubled. */
    public String quote(String identifier) {
        String q = String.valueOf(quote);
        return q + identifier.replace(q, q + q) + q;
    }

    /** How the database stores an identifier written unquoted: upper case on H2, lower on PostgreSQL. */
    public String foldCase(String unquotedIdentifier) {
        if (this == POSTGRESQL) {
            return unquotedIdentifier.toLowerCase(Locale.ROOT);
        }
        return foldsUpper ? unquotedIdentifier.toUpperCase(Locale.ROOT) : unquotedIdentifier;
    }
}
