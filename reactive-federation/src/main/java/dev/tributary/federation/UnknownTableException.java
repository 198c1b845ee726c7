package dev.tributary.federation;

import dev.tributary.core.TributaryException;
import java.util.List;

/**
 * Signalled when a table reference in a federated query names no table, or a bare name that several
 * databases hold. The message lists the candidates as {@code database.table}.
 */
public final class UnknownTableException extends TributaryException {

    private static final long serialVersionUID = 1L;

    private final String table;
    private final List<String> candidates;

    /**
     * @param table the reference as written
     * @param ambiguous whether several tables matched (else none did)
     * @param candidates the matching tables when ambiguous, else the known tables, as {@code database.table}
     */
    public UnknownTableException(String table, boolean ambiguous, List<String> candidates) {
        super((ambiguous
                ? "Ambiguous table '" + table + "': it exists in several databases: " + candidates
                        + ". Qualify it as database.table."
                : "Unknown table '" + table + "'. Known tables: " + candidates
                        + ". Check the name, or refresh the catalog if the table was created after it was loaded."));
        this.table = table;
        this.candidates = List.copyOf(candidates);
    }

    /** The table reference as written in the query. */
    public String table() {
        return table;
    }

    /** The candidate tables as {@code database.table}. */
    public List<String> candidates() {
        return candidates;
    }
}
