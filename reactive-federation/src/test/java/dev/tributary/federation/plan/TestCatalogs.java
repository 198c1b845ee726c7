package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.ColumnInfo;
import dev.tributary.federation.catalog.TableInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A catalog without databases: customers and countries on H2, orders on PostgreSQL, products on MariaDB, regions on a second H2. */
final class TestCatalogs {

    private TestCatalogs() {
    }

    static Catalog shop() {
        Map<String, Catalog.DatabaseTables> dbs = new HashMap<>();
        dbs.put("customers", db("customers", Dialect.H2,
                table("customers", "CUSTOMERS", 500, col("ID", Integer.class), col("NAME", String.class),
                        col("COUNTRY", String.class), col("SEGMENT", String.class)),
                table("customers", "COUNTRIES", 30, col("CODE", String.class), col("NAME", String.class))));
        dbs.put("orders", db("orders", Dialect.POSTGRESQL,
                table("orders", "orders", 2000, col("id", Long.class), col("customer_id", Long.class),
                        col("amount", BigDecimal.class), col("status", String.class)),
                table("orders", "order_lines", 5000, col("order_id", Long.class), col("product_id", Integer.class),
                        col("qty", Integer.class))));
        dbs.put("products", db("products", Dialect.MARIADB,
                table("products", "products", 100, col("id", BigDecimal.class), col("name", String.class),
                        col("price", BigDecimal.class))));
        dbs.put("geo", db("geo", Dialect.H2,
                table("geo", "REGIONS", 10, col("COUNTRY", String.class), col("REGION", String.class))));
        return new Catalog(dbs, Map.of("sales", "orders"));
    }

    static ColumnInfo col(String name, Class<?> type) {
        return new ColumnInfo(name, type.getSimpleName(), type);
    }

    static TableInfo table(String db, String name, long rows, ColumnInfo... cols) {
        return new TableInfo(db, name, List.of(cols), rows, true);
    }

    static Catalog.DatabaseTables db(String name, Dialect dialect, TableInfo... tables) {
        Map<String, List<TableInfo>> map = new HashMap<>();
        for (TableInfo t : tables) {
            map.computeIfAbsent(t.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(t);
        }
        return new Catalog.DatabaseTables(name, dialect, map);
    }
}
