package dev.tributary.federation.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Databases;
import dev.tributary.federation.UnknownTableException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog of two H2 databases (upper-case names, one table in both) read from information_schema. */
class CatalogLoaderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static Databases dbs;

    @BeforeAll
    static void setUp() {
        String suffix = Long.toHexString(System.nanoTime());
        dbs = Databases.builder()
                .database("one", "r2dbc:h2:mem:///fed_cat_one_" + suffix + "?options=DB_CLOSE_DELAY=-1")
                .database("two", "r2dbc:h2:mem:///fed_cat_two_" + suffix + "?options=DB_CLOSE_DELAY=-1")
                .alias("uno", "one")
                .build();
        dbs.get("one").update("CREATE TABLE items (id BIGINT PRIMARY KEY, \"MixedCase\" VARCHAR(10), price DECIMAL(10,2))")
                .then(dbs.get("one").update("INSERT INTO items VALUES (1, 'a', 1.50), (2, 'b', 2.50), (3, 'c', NULL)"))
                .then(dbs.get("one").update("CREATE TABLE shared (id INT)"))
                .then(dbs.get("two").update("CREATE TABLE shared (id INT)"))
                .block(TIMEOUT);
    }

    @AfterAll
    static void tearDown() {
        dbs.close().block(TIMEOUT);
    }

    @Test
    void readsRealNamesTypesAndRowEstimates() {
        Catalog catalog = CatalogLoader.load(dbs).block(TIMEOUT);
        TableInfo items = catalog.resolve("uno", "Items");
        assertThat(items.database()).isEqualTo("one");
        assertThat(items.name()).isEqualTo("ITEMS");
        assertThat(items.columnNames()).containsExactly("ID", "MixedCase", "PRICE");
        assertThat(items.columns()).extracting(ColumnInfo::javaType).containsExactly(Long.class, String.class, BigDecimal.class);
        assertThat(items.estimateKnown()).isTrue();
        assertThat(items.rowEstimate()).isEqualTo(3);
        assertThat(items.indexOf("mixedcase")).isEqualTo(1);
        assertThat(catalog.resolve(null, "items")).isEqualTo(items);
    }

    @Test
    void aBareNameInSeveralDatabasesIsAmbiguous() {
        Catalog catalog = CatalogLoader.load(dbs).block(TIMEOUT);
        assertThatThrownBy(() -> catalog.resolve(null, "shared"))
                .isInstanceOfSatisfying(UnknownTableException.class,
                        e -> assertThat(e.candidates()).containsExactly("one.SHARED", "two.SHARED"))
                .hasMessageContaining("Qualify it as database.table");
        assertThat(catalog.resolve("two", "shared").database()).isEqualTo("two");
        assertThatThrownBy(() -> catalog.resolve("three", "shared"))
                .isInstanceOf(UnknownTableException.class).hasMessageContaining("one.ITEMS");
    }
}
