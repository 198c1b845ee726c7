package dev.tributary.federation.dml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Dialect;
import dev.tributary.federation.UnknownColumnException;
import dev.tributary.federation.UnknownTableException;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.ColumnInfo;
import dev.tributary.federation.catalog.TableInfo;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a write is planned, rendered and refused, without databases. */
class WriteAnalyzerTest {

    private static final Catalog CATALOG = new Catalog(Map.of(
            "pg", db("pg", Dialect.POSTGRESQL, table("pg", "items", "id", "name", "price"), table("pg", "keys", "id")),
            "maria", db("maria", Dialect.MARIADB, table("maria", "items", "id", "name", "price"),
                    table("maria", "stock", "item_id", "qty")),
            "h2", db("h2", Dialect.H2, table("h2", "ARCHIVE", "ID", "NAME", "PRICE"))), Map.of("store", "maria"));

    private static WritePlan plan(String sql) {
        return WriteAnalyzer.analyze(sql, CATALOG, 10_000);
    }

    private static WriteSql.Bound bound(WritePlan plan, Object... values) {
        WriteSql sql = plan instanceof WritePlan.Routed r ? r.sql() : ((WritePlan.KeyedWrite) plan).sql();
        return sql.bind(p -> p.name() != null ? p.name() : values[p.index()], List.of(7, 8));
    }

    @Test
    void aSingleDatabaseStatementIsRenderedWholeWithDialectTableNamesAndMarkers() {
        WritePlan plan = plan("UPDATE store.items i SET name = ? WHERE i.id IN (SELECT item_id FROM maria.stock"
                + " WHERE qty < ?) AND i.price > 0");
        assertThat(plan).isInstanceOf(WritePlan.Routed.class);
        assertThat(plan.database()).isEqualTo("maria");
        WriteSql.Bound b = bound(plan, "x", 3);
        assertThat(b.sql()).isEqualTo("UPDATE `items` i SET name = ? WHERE i.id IN (SELECT item_id FROM `stock`"
                + " WHERE qty < ?) AND i.price > 0");
        assertThat(b.binds()).containsExactly("x", 3);

        WriteSql.Bound pg = bound(plan("DELETE FROM pg.items WHERE name = :n OR id = :n"));
        assertThat(pg.sql()).isEqualTo("DELETE FROM \"items\" WHERE name = $1 OR id = $2");
        assertThat(pg.binds()).containsExactly("n", "n");

        WriteSql.Bound h2 = bound(plan("INSERT INTO h2.archive (id, name) VALUES (?, 'it''s ?')"), 5);
        assertThat(h2.sql()).isEqualTo("INSERT INTO \"ARCHIVE\" (id, name) VALUES ($1, 'it''s ?')");
        assertThat(h2.binds()).containsExactly(5);
    }

    @Test
    void anInsertSelectFromAnotherDatabaseStreamsIntoTheCatalogColumns() {
        WritePlan plan = plan("INSERT INTO h2.archive (id, price) SELECT i.id, s.qty FROM pg.items i"
                + " JOIN maria.stock s ON s.item_id = i.id WHERE i.name = ?");
        assertThat(plan).isInstanceOfSatisfying(WritePlan.StreamedInsert.class, s -> {
            assertThat(s.database()).isEqualTo("h2");
            assertThat(s.insertSql()).isEqualTo("INSERT INTO \"ARCHIVE\" (\"ID\", \"PRICE\") VALUES ($1, $2)");
            assertThat(s.params().positional()).isEqualTo(1);
        });
        assertThat(((WritePlan.StreamedInsert) plan("INSERT INTO maria.items SELECT * FROM pg.items")).insertSql())
                .isEqualTo("INSERT INTO `items` (`id`, `name`, `price`) VALUES (?, ?, ?)");
    }

    @Test
    void anInSubqueryOnAnotherDatabaseBecomesABatchedKeyList() {
        WritePlan plan = plan("UPDATE pg.items SET price = price * ? WHERE id IN (SELECT item_id FROM maria.stock"
                + " WHERE qty = ?) AND name IS NOT NULL");
        assertThat(plan).isInstanceOf(WritePlan.KeyedWrite.class);
        WriteSql.Bound b = bound(plan, 2, 0);
        assertThat(b.sql()).isEqualTo("UPDATE \"items\" SET price = price * $1 WHERE id IN ($2, $3) AND (name IS NOT NULL)");
        assertThat(b.binds()).containsExactly(2, 7, 8);

        WritePlan delete = plan("DELETE FROM maria.items WHERE (price > ? AND id IN (SELECT id FROM pg.keys))");
        WriteSql.Bound d = bound(delete, 1);
        assertThat(d.sql()).isEqualTo("DELETE FROM `items` WHERE (price > ?) AND id IN (?, ?)");
        assertThat(d.binds()).containsExactly(1, 7, 8);
    }

    @Test
    void shapesThatCannotRunAreRefusedNamingTheConstruct() {
        refused("MERGE INTO pg.items USING pg.keys k ON (items.id = k.id) WHEN MATCHED THEN DELETE", "MERGE statement", 1);
        refused("CREATE TABLE pg.t (id INT)", "CREATETABLE statement", 1);
        refused("UPDATE pg.items SET name = 'x' WHERE id NOT IN (SELECT item_id FROM maria.stock)", "NOT IN", 41);
        refused("DELETE FROM pg.items WHERE NOT EXISTS (SELECT 1 FROM maria.stock s WHERE s.item_id = 1)", "EXISTS", 0);
        refused("DELETE FROM pg.items WHERE id = 1 OR id IN (SELECT item_id FROM maria.stock)", "other than col IN", 0);
        refused("UPDATE pg.items i SET name = s.qty FROM maria.stock s WHERE s.item_id = i.id", "join across", 0);
        refused("UPDATE pg.items SET name = (SELECT MAX(qty) FROM maria.stock)", "in SET", 0);
        refused("DELETE FROM pg.items WHERE id IN (SELECT item_id, qty FROM maria.stock)", "of 2 columns", 0);
        refused("INSERT INTO pg.items (id, name) SELECT item_id FROM maria.stock", "2 columns from a SELECT of 1", 0);
        refused("INSERT INTO pg.items (id) VALUES (1, 2)", "VALUES row of 2", 0);
        refused("INSERT INTO pg.items (id) SELECT id FROM pg.keys RETURNING id", "RETURNING", 0);
        refused("INSERT INTO pg.items (id) SELECT item_id FROM maria.stock ON CONFLICT DO NOTHING", "CONFLICT", 0);
        refused("DELETE FROM pg.items WHERE id IN (SELECT item_id FROM maria.stock) AND name IN"
                + " (SELECT name FROM maria.items)", "second IN", 0);
        refused("UPDATE pg.items SET name = ? WHERE id = :id", "mixing", 0);
        assertThatThrownBy(() -> plan("INSERT INTO nowhere.items SELECT * FROM pg.items"))
                .isInstanceOf(UnknownTableException.class).hasMessageContaining("pg.items");
        assertThatThrownBy(() -> plan("INSERT INTO pg.items (id, colour) SELECT item_id, qty FROM maria.stock"))
                .isInstanceOf(UnknownColumnException.class).hasMessageContaining("colour");
    }

    private static void refused(String sql, String construct, int column) {
        assertThatThrownBy(() -> plan(sql)).as(sql)
                .isInstanceOfSatisfying(UnsupportedSqlException.class, e -> {
                    assertThat(e.construct()).contains(construct);
                    assertThat(e.line()).isEqualTo(1);
                    if (column > 0) {
                        assertThat(e.column()).isEqualTo(column);
                    }
                    assertThat(e.getMessage()).contains(". ");
                });
    }

    private static TableInfo table(String db, String name, String... columns) {
        List<ColumnInfo> cols = java.util.Arrays.stream(columns)
                .map(c -> new ColumnInfo(c, "int", c.equalsIgnoreCase("price") ? BigDecimal.class : Object.class))
                .toList();
        return new TableInfo(db, name, cols, 100, true);
    }

    private static Catalog.DatabaseTables db(String name, Dialect dialect, TableInfo... tables) {
        Map<String, List<TableInfo>> map = new java.util.HashMap<>();
        for (TableInfo t : tables) {
            map.put(t.name().toLowerCase(java.util.Locale.ROOT), List.of(t));
        }
        return new Catalog.DatabaseTables(name, dialect, map);
    }
}
