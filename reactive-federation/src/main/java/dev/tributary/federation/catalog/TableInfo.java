package dev.tributary.federation.catalog;

import java.util.List;
import java.util.Locale;

/**
 * A table of one database, as the catalog knows it.
 *
 * @param database the registered database name
 * @param name the real table name, in the database's case
 * @param columns the columns in table order
 * @param rowEstimate the estimated number of rows
 * @param estimateKnown whether the estimate came from the database's statistics (else it is a fallback)
 */
public record TableInfo(String database, String name, List<ColumnInfo> columns, long rowEstimate,
        boolean estimateKnown) {

    /** The row estimate used when a database has no statistics for a table. */
    public static final long FALLBACK_ESTIMATE = 1000;

    public TableInfo {
        columns = List.copyOf(columns);
    }

    /**
     * The index of the column with this name: an exact match first, else the only case-insensitive
     * match; -1 when there is none, -2 when several columns differ only by case.
     */
    public int indexOf(String column) {
        int found = -1;
        for (int i = 0; i < columns.size(); i++) {
            String n = columns.get(i).name();
            if (n.equals(column)) {
                return i;
            }
            if (n.toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) {
                found = found == -1 ? i : -2;
            }
        }
        return found;
    }

    /** The column names in table order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }
}
