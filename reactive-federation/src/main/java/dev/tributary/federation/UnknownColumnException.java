package dev.tributary.federation;

import dev.tributary.core.TributaryException;
import java.util.List;

/**
 * Signalled when a column reference in a federated query names no column of the tables in its FROM
 * clause, or an unqualified name that several of them have. The message lists the candidates.
 */
public final class UnknownColumnException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String column;
    private final List<String> candidates;

    /**
     * @param column the reference as written
     * @param ambiguous whether several columns matched (else none did)
     * @param candidates the matching columns when ambiguous, else the known columns, as {@code alias.column}
     */
    public UnknownColumnException(String column, boolean ambiguous, List<String> candidates) {
        super(ambiguous
                ? "Ambiguous column '" + column + "': " + candidates + ". Qualify it with a table alias."
                : "Unknown column '" + column + "'. Columns in scope: " + candidates);
        this.column = column;
        this.candidates = List.copyOf(candidates);
    }

    /** The column reference as written in the query. */
    public String column() {
        return column;
    }

    /** The candidate columns as {@code alias.column}. */
    public List<String> candidates() {
        return candidates;
    }
}
