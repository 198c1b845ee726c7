package dev.tributary.federation.catalog;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.Dialect;
import dev.tributary.core.Row;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads each database's tables, columns and row estimates from its information_schema (PostgreSQL: the
 * current schema; MariaDB: the current database; H2: the current schema, {@code PUBLIC} by default).
 */
public final class CatalogLoader {

    private CatalogLoader() {
    }

    /**
     * Loads the catalog of every database of the registry, concurrently. A database whose catalog cannot be
     * read is listed in {@link Catalog#unavailable()}; the others load all the same.
     */
    public static Mono<Catalog> load(Databases databases) {
        Map<String, Throwable> failed = new java.util.concurrent.ConcurrentHashMap<>();
        return Flux.fromIterable(databases.names())
                .flatMap(name -> load(databases.get(name)).onErrorResume(e -> {
                    failed.put(name, e);
                    return Mono.empty();
                }))
                .collectMap(Catalog.DatabaseTables::database)
                .map(map -> new Catalog(map, databases.aliases(), failed));
    }

    /** Loads the tables of one database. */
    public static Mono<Catalog.DatabaseTables> load(Database db) {
        Dialect dialect = db.dialect();
        Mono<Map<String, Long>> estimates = db.query(estimatesSql(dialect))
                .collectMap(r -> string(r, 0), r -> estimate(r.get(1)))
                .onErrorReturn(Map.of());
        Mono<List<Row>> columns = db.query(columnsSql(dialect)).collectList();
        return Mono.zip(columns, estimates).map(t -> {
            Map<String, List<ColumnInfo>> byTable = new LinkedHashMap<>();
            for (Row r : t.getT1()) {
                String type = string(r, 2);
                byTable.computeIfAbsent(string(r, 0), k -> new ArrayList<>())
                        .add(new ColumnInfo(string(r, 1), type, javaType(type)));
            }
            Map<String, List<TableInfo>> tables = new HashMap<>();
            byTable.forEach((table, cols) -> {
                Long est = t.getT2().get(table);
                boolean known = est != null && est >= 0;
                TableInfo info = new TableInfo(db.name(), table, cols, known ? Math.max(1, est) : TableInfo.FALLBACK_ESTIMATE, known);
                tables.computeIfAbsent(table.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(info);
            });
            return new Catalog.DatabaseTables(db.name(), dialect, tables);
        });
    }

    private static String string(Row r, int i) {
        Object v = r.get(i);
        return v == null ? "" : v.toString();
    }

    private static long estimate(Object v) {
        if (v instanceof Number n) {
            return (long) n.doubleValue();
        }
        return -1;
    }

    static String columnsSql(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position";
            case MARIADB -> "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position";
            case H2 -> "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA ORDER BY TABLE_NAME, ORDINAL_POSITION";
            case GENERIC -> "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = CURRENT_SCHEMA ORDER BY table_name, ordinal_position";
        };
    }

    static String estimatesSql(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
            case MARIADB -> "SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = DATABASE()";
            case H2 -> "SELECT TABLE_NAME, ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA";
            case GENERIC -> "SELECT table_name, CAST(NULL AS BIGINT) FROM information_schema.tables";
        };
    }

    /** The Java type drivers return for an information_schema data type (any of the three databases). */
    static Class<?> javaType(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (t.equals("integer") || t.equals("int") || t.equals("int4") || t.equals("mediumint")) {
            return Integer.class;
        }
        if (t.equals("bigint") || t.equals("int8")) {
            return Long.class;
        }
        if (t.equals("smallint") || t.equals("int2")) {
            return Short.class;
        }
        if (t.equals("tinyint")) {
            return Byte.class;
        }
        if (t.startsWith("numeric") || t.startsWith("decimal")) {
            return BigDecimal.class;
        }
        if (t.equals("real") || t.equals("float") || t.equals("float4")) {
            return Float.class;
        }
        if (t.startsWith("double")) {
            return Double.class;
        }
        if (t.contains("char") || t.equals("text") || t.contains("text") || t.equals("enum")) {
            return String.class;
        }
        if (t.equals("boolean") || t.equals("bool")) {
            return Boolean.class;
        }
        if (t.equals("date")) {
            return LocalDate.class;
        }
        if (t.startsWith("timestamp with time zone")) {
            return OffsetDateTime.class;
        }
        if (t.startsWith("timestamp") || t.equals("datetime")) {
            return LocalDateTime.class;
        }
        if (t.startsWith("time")) {
            return LocalTime.class;
        }
        if (t.equals("uuid")) {
            return java.util.UUID.class;
        }
        return Object.class;
    }
}
