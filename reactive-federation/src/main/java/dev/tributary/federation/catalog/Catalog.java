package dev.tributary.federation.catalog;

import dev.tributary.core.Dialect;
import dev.tributary.federation.UnknownTableException;
import java.util.ArrayList;
import dev.tributary.core.DatabaseUnavailableException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of the tables of every database in a registry, with the registry's names and
 * aliases, used by the planner without I/O.
 */
public final class Catalog {

    /** The tables of one database, by lower-case name. */
    public record DatabaseTables(String database, Dialect dialect, Map<String, List<TableInfo>> tables) {
        public DatabaseTables {
            tables = Map.copyOf(tables);
        }
    }

    private final Map<String, DatabaseTables> databases;
    private final Map<String, Throwable> unavailable;
    private final Set<String> pending;
    private final Map<String, String> names;

    /**
     * Signals that resolving a table needs the catalog of databases not read yet: the caller reads them and
     * resolves again. Internal; it never reaches a user.
     */
    public static final class NotLoadedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Set<String> databases;

        NotLoadedException(Set<String> databases) {
            super("Catalog not loaded yet: " + databases, null, false, false);
            this.databases = Set.copyOf(databases);
        }

        /** The databases whose catalog must be read first. */
        public Set<String> databases() {
            return databases;
        }
    }

    /**
     * @param databases the tables of each registered database, by database name
     * @param aliases each alias mapped to the database name it stands for
     */
    public Catalog(Map<String, DatabaseTables> databases, Map<String, String> aliases) {
        this(databases, aliases, Map.of());
    }

    /**
     * @param databases the tables of each database whose catalog was read, by database name
     * @param aliases each alias mapped to the database name it stands for
     * @param unavailable the databases whose catalog could not be read, with the error
     */
    public Catalog(Map<String, DatabaseTables> databases, Map<String, String> aliases,
            Map<String, Throwable> unavailable) {
        this(databases, aliases, unavailable, Set.of());
    }

    /**
     * @param databases the tables of each database whose catalog was read, by database name
     * @param aliases each alias mapped to the database name it stands for
     * @param unavailable the databases whose catalog could not be read, with the error
     * @param pending the databases whose catalog is to be read before a table of theirs can be resolved:
     *     resolving one of their tables, or a bare table name while any is pending, throws
     *     {@link NotLoadedException}
     */
    public Catalog(Map<String, DatabaseTables> databases, Map<String, String> aliases,
            Map<String, Throwable> unavailable, Set<String> pending) {
        this.databases = Map.copyOf(databases);
        this.unavailable = Map.copyOf(unavailable);
        this.pending = Set.copyOf(pending);
        java.util.HashMap<String, String> n = new java.util.HashMap<>();
        for (String db : databases.keySet()) {
            n.put(db.toLowerCase(Locale.ROOT), db);
        }
        for (String db : unavailable.keySet()) {
            n.put(db.toLowerCase(Locale.ROOT), db);
        }
        for (String db : pending) {
            n.put(db.toLowerCase(Locale.ROOT), db);
        }
        aliases.forEach((alias, db) -> n.putIfAbsent(alias.toLowerCase(Locale.ROOT), db));
        this.names = Map.copyOf(n);
    }

    /** The databases whose catalog could not be read when this snapshot was taken, with the error. */
    public Map<String, Throwable> unavailable() {
        return unavailable;
    }

    /** The dialect of a registered database. */
    public Dialect dialect(String database) {
        return databases.get(database).dialect();
    }

    /** The registered database names. */
    public Collection<String> databaseNames() {
        return databases.keySet();
    }

    /**
     * Resolves a table reference: {@code schema.table} where {@code schema} is a database name or alias,
     * or a bare {@code table} that exactly one database has.
     *
     * @throws UnknownTableException if nothing or several tables match; the message lists the candidates
     * @throws DatabaseUnavailableException if the table's database (or, for a bare name that no readable
     *     database has, a database) could not be read
     * @throws NotLoadedException if the table's database (or, for a bare name, any database) is pending
     */
    public TableInfo resolve(@Nullable String schema, String table) {
        String written = schema == null ? table : schema + "." + table;
        if (schema != null) {
            String db = names.get(schema.toLowerCase(Locale.ROOT));
            if (db == null) {
                throw new UnknownTableException(written, false, allTables());
            }
            if (pending.contains(db)) {
                throw new NotLoadedException(Set.of(db));
            }
            if (unavailable.containsKey(db)) {
                throw unavailable(db, written);
            }
            List<TableInfo> found = lookup(databases.get(db), table);
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.isEmpty()) {
                List<String> known = new ArrayList<>();
                databases.get(db).tables().values().forEach(l -> l.forEach(t -> known.add(db + "." + t.name())));
                known.sort(null);
                throw new UnknownTableException(written, false, known);
            }
            throw new UnknownTableException(written, true, qualified(found));
        }
        if (!pending.isEmpty()) {
            throw new NotLoadedException(pending);
        }
        List<TableInfo> found = new ArrayList<>();
        for (DatabaseTables d : databases.values()) {
            found.addAll(lookup(d, table));
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            if (!unavailable.isEmpty()) {
                throw unavailable(unavailable.keySet().iterator().next(), written);
            }
            throw new UnknownTableException(written, false, allTables());
        }
        throw new UnknownTableException(written, true, qualified(found));
    }

    private DatabaseUnavailableException unavailable(String db, String table) {
        Throwable cause = unavailable.get(db);
        return new DatabaseUnavailableException(db, "Table " + table + " cannot be resolved: the catalog of database '"
                + db + "' could not be read (" + cause.getMessage() + "). Queries over the other databases still run;"
                + " this one is read again by a query naming it at most every 2 s (Federation.catalogStatus() shows when)",
                cause);
    }

    private static List<TableInfo> lookup(DatabaseTables d, String table) {
        List<TableInfo> candidates = d.tables().getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
        if (candidates.size() > 1) {
            for (TableInfo t : candidates) {
                if (t.name().equals(table) || t.name().equals(d.dialect().foldCase(table))) {
                    return List.of(t);
                }
            }
        }
        return candidates;
    }

    private static List<String> qualified(List<TableInfo> tables) {
        return tables.stream().map(t -> t.database() + "." + t.name()).sorted().toList();
    }

    private List<String> allTables() {
        TreeSet<String> all = new TreeSet<>();
        databases.values().forEach(d -> d.tables().values().forEach(l -> l.forEach(t -> all.add(d.database() + "." + t.name()))));
        return List.copyOf(all);
    }
}
