package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void statementsEndAtSemicolonsOutsideQuotesAndCommentsAndCommentsAreLeftOut() {
        SqlScript script = SqlScript.parse("s.sql", """
                -- header; not a statement
                CREATE TABLE a (id INT, note VARCHAR(10) DEFAULT 'x;''y'); /* block; comment */
                INSERT INTO "we;ird" VALUES (1);INSERT INTO `b;` VALUES (2)
                ;;
                CREATE FUNCTION f() RETURNS INT AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql;
                """);

        assertThat(script.statements()).containsExactly(
                "CREATE TABLE a (id INT, note VARCHAR(10) DEFAULT 'x;''y')",
                "INSERT INTO \"we;ird\" VALUES (1)",
                "INSERT INTO `b;` VALUES (2)",
                "CREATE FUNCTION f() RETURNS INT AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql");
    }

    @Test
    void createdObjectsAreFoundWhateverTheirSpellingAndDroppedByKind() {
        SqlScript script = SqlScript.parse("s.sql", """
                create table if not exists shop.orders (id int);
                CREATE GLOBAL TEMPORARY TABLE "Line Items" (id INT);
                CREATE OR REPLACE VIEW big_orders AS SELECT * FROM shop.orders;
                CREATE SEQUENCE order_ids;
                CREATE INDEX orders_id ON shop.orders (id);
                INSERT INTO shop.orders VALUES (1);
                """);

        assertThat(script.created()).extracting(SqlScript.Created::dropSql).isEqualTo(List.of(
                "DROP TABLE IF EXISTS shop.orders",
                "DROP TABLE IF EXISTS \"Line Items\"",
                "DROP VIEW IF EXISTS big_orders",
                "DROP SEQUENCE IF EXISTS order_ids"));
    }
}
