package dev.tributary.federation;

import dev.tributary.core.TributaryException;

/**
 * Signalled when a statement uses SQL that federation does not support, before any database is touched.
 * The message names the construct and where it starts in the statement (1-based line and column).
 */
public final class UnsupportedSqlException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String construct;
    private final int line;
    private final int column;

    /**
     * @param construct what is not supported, e.g. {@code "GROUP BY"}
     * @param line 1-based line where it starts, 0 when unknown
     * @param column 1-based column where it starts, 0 when unknown
     * @param detail what to do instead, or an empty string
     */
    public UnsupportedSqlException(String construct, int line, int column, String detail) {
        super("Unsupported SQL: " + construct + (line > 0 ? " at line " + line + ", column " + column : "")
                + (detail.isEmpty() ? "" : ". " + detail));
        this.construct = construct;
        this.line = line;
        this.column = column;
    }

    /** The construct that is not supported. */
    public String construct() {
        return construct;
    }

    /** The 1-based line where the construct starts, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column where the construct starts, 0 when unknown. */
    public int column() {
        return column;
    }
}
