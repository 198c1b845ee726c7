package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.federation.Plan;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.SqlFrontEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Functions and casts are written for each database so that it computes PostgreSQL's answer: one query per
 * database, over H2 customers, PostgreSQL orders and MariaDB products (each aliased {@code t}).
 */
class FunctionRenderingTest {

    private final Catalog catalog = TestCatalogs.shop();

    /** The single fragment of {@code SELECT <expr> FROM <table> t}, {@code t.s} being a text column. */
    private Plan.Fragment render(String table, String expr) {
        String text = table.startsWith("orders") ? "status" : "name";
        return fragment("SELECT " + expr.replace("t.s", "t." + text) + " AS v FROM " + table + " t");
    }

    private String select(String table, String expr) {
        String sql = render(table, expr).sql();
        return sql.substring("SELECT ".length(), sql.lastIndexOf(" AS "));
    }

    private String h2(String expr) {
        return select("customers.customers", expr);
    }

    private String pg(String expr) {
        return select("orders.orders", expr);
    }

    private String maria(String expr) {
        return select("products.products", expr);
    }

    @Test
    void lengthCountsCharactersOnMariaDbWithCharLength() {
        assertThat(h2("LENGTH(t.s)")).isEqualTo("LENGTH(\"t\".\"NAME\")");
        assertThat(pg("CHAR_LENGTH(t.s)")).isEqualTo("LENGTH(\"t\".\"status\")");
        assertThat(maria("LENGTH(t.s)")).isEqualTo("CHAR_LENGTH(`t`.`name`)");
    }

    @Test
    void concatSkipsNullsEverywhereThroughConcatWsOnMariaDb() {
        assertThat(h2("CONCAT(t.s, t.id)")).isEqualTo("CONCAT(\"t\".\"NAME\", \"t\".\"ID\")");
        assertThat(pg("CONCAT(t.s, t.id)")).isEqualTo("CONCAT(\"t\".\"status\", \"t\".\"id\")");
        assertThat(maria("CONCAT(t.s, t.id)")).isEqualTo("CONCAT_WS('', `t`.`name`, `t`.`id`)");
    }

    @Test
    void theConcatenationOperatorBecomesConcatOnMariaDbWhereItIsOr() {
        assertThat(h2("t.s || 'x'")).isEqualTo("(\"t\".\"NAME\" || 'x')");
        assertThat(pg("t.s || t.id + 1")).isEqualTo("(\"t\".\"status\" || (\"t\".\"id\" + $1))");
        assertThat(maria("t.s || 'x' || t.s")).isEqualTo("CONCAT(CONCAT(`t`.`name`, ?), `t`.`name`)");
        Plan.Fragment f = render("products.products", "t.s || 'x'");
        assertThat(f.binds()).containsExactly("'x'");
    }

    @Test
    void substringStartingAtALiteralOfAtLeastOneIsWrittenAsIs() {
        assertThat(h2("SUBSTRING(t.s FROM 2 FOR 3)")).isEqualTo("SUBSTRING(\"t\".\"NAME\", 2, 3)");
        assertThat(maria("SUBSTRING(t.s, 2)")).isEqualTo("SUBSTRING(`t`.`name`, ?)");
    }

    @Test
    void substringFromAnyOtherStartIsClampedOutsidePostgres() {
        assertThat(pg("SUBSTRING(t.s, t.id, 2)")).isEqualTo("SUBSTRING(\"t\".\"status\", \"t\".\"id\", $1)");
        assertThat(maria("SUBSTRING(t.s, t.id - 5, 2)")).isEqualTo("SUBSTRING(`t`.`name`,"
                + " CASE WHEN (`t`.`id` - ?) < 1 THEN 1 ELSE (`t`.`id` - ?) END,"
                + " CASE WHEN (`t`.`id` - ?) < 1 THEN (`t`.`id` - ?) + ? - 1 ELSE ? END)");
        assertThat(render("products.products", "SUBSTRING(t.s, t.id - 5, 2)").binds())
                .containsExactly("5", "5", "5", "5", "2", "2");
        assertThat(h2("SUBSTRING(t.s, 0)")).isEqualTo("SUBSTRING(\"t\".\"NAME\", CASE WHEN 0 < 1 THEN 1 ELSE 0 END)");
    }

    @Test
    void integerParametersAreCastToIntegerOnPostgres() {
        assertThat(pg("SUBSTRING(t.s, ?, ?)")).isEqualTo("SUBSTRING(\"t\".\"status\", CAST($1 AS INTEGER), CAST($2 AS INTEGER))");
        assertThat(pg("ROUND(t.amount, :places)")).isEqualTo("ROUND(\"t\".\"amount\", CAST($1 AS INTEGER))");
        assertThat(h2("ROUND(t.id, ?)")).isEqualTo("ROUND(\"t\".\"ID\", $1)");
    }

    @Test
    void trimWritesItsSideAndItsCharacter() {
        assertThat(pg("TRIM(t.s)")).isEqualTo("TRIM(BOTH FROM \"t\".\"status\")");
        assertThat(maria("TRIM(TRAILING FROM t.s)")).isEqualTo("TRIM(TRAILING FROM `t`.`name`)");
        assertThat(h2("TRIM(LEADING '0' FROM t.s)")).isEqualTo("TRIM(LEADING '0' FROM \"t\".\"NAME\")");
        assertThat(render("products.products", "TRIM(LEADING '0' FROM t.s)").binds()).containsExactly("'0'");
    }

    @Test
    void numericFunctionsAndExtractAreTheSameEverywhereButExtractIsNumericOnH2() {
        assertThat(pg("ROUND(t.amount, 1)")).isEqualTo("ROUND(\"t\".\"amount\", $1)");
        assertThat(maria("ABS(t.price - 100)")).isEqualTo("ABS((`t`.`price` - ?))");
        assertThat(h2("EXTRACT(MONTH FROM DATE '2024-03-01')")).isEqualTo("CAST(EXTRACT(MONTH FROM DATE '2024-03-01') AS NUMERIC(10,0))");
        assertThat(pg("EXTRACT(DAY FROM t.id)")).isEqualTo("EXTRACT(DAY FROM \"t\".\"id\")");
        assertThat(maria("EXTRACT(YEAR FROM t.id)")).isEqualTo("EXTRACT(YEAR FROM `t`.`id`)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "INTEGER; INTEGER; INTEGER; SIGNED",
        "BIGINT; BIGINT; BIGINT; SIGNED",
        "DECIMAL(10,2); NUMERIC(10,2); NUMERIC(10,2); DECIMAL(10,2)",
        "NUMERIC; DECFLOAT; NUMERIC; DECIMAL(65,30)",
        "VARCHAR; VARCHAR; VARCHAR; CHAR",
        "VARCHAR(3); VARCHAR(3); VARCHAR(3); CHAR(3)",
        "TEXT; VARCHAR; TEXT; CHAR",
        "DATE; DATE; DATE; DATE",
        "TIMESTAMP; TIMESTAMP; TIMESTAMP; DATETIME(6)",
        "DOUBLE PRECISION; DOUBLE PRECISION; DOUBLE PRECISION; DOUBLE",
        "BOOLEAN; BOOLEAN; BOOLEAN; -",
    })
    void castTypesAreSpelledForEachDatabase(String type, String onH2, String onPostgres, String onMariaDb) {
        assertThat(h2("CAST(t.id AS " + type + ")")).isEqualTo("CAST(\"t\".\"ID\" AS " + onH2 + ")");
        assertThat(pg("CAST(t.id AS " + type + ")")).isEqualTo("CAST(\"t\".\"id\" AS " + onPostgres + ")");
        if (!onMariaDb.equals("-")) {
            assertThat(maria("CAST(t.id AS " + type + ")")).isEqualTo("CAST(`t`.`id` AS " + onMariaDb + ")");
        }
    }

    @Test
    void castToBooleanOnMariaDbTestsForNonZero() {
        assertThat(maria("CAST(t.price AS BOOLEAN)")).isEqualTo(
                "CASE WHEN `t`.`price` IS NULL THEN NULL WHEN `t`.`price` <> 0 THEN TRUE ELSE FALSE END");
    }

    @Test
    void dateAndTimestampLiteralsInFiltersAreBindParameters() {
        Plan.Fragment pg = fragment("SELECT o.id FROM orders.orders o WHERE o.status >= DATE '2024-01-31'");
        assertThat(pg.sql()).endsWith(" WHERE \"o\".\"status\" >= $1");
        assertThat(pg.binds()).containsExactly("2024-01-31");
        Plan.Fragment maria = fragment("SELECT p.id FROM products.products p WHERE p.name < TIMESTAMP '2024-01-31 10:00:00'");
        assertThat(maria.sql()).endsWith(" WHERE `p`.`name` < ?");
        assertThat(maria.binds()).containsExactly("2024-01-31T10:00");
    }

    @Test
    void unaliasedCallsAndCastsAreNamedAsPostgresNamesThem() {
        Plan.Fragment f = fragment("SELECT TRIM(o.status), TRIM(LEADING FROM o.status),"
                + " o.status || 'x', SUBSTR(o.status, 2), CAST(o.id AS INTEGER), CAST(o.amount + 1 AS INTEGER),"
                + " CAST(1 AS NUMERIC(3,1)) FROM orders.orders o");
        assertThat(f.sql()).contains("AS \"btrim\"", "AS \"ltrim\"", "AS \"?column?\"",
                "AS \"substring\"", "CAST(\"o\".\"id\" AS INTEGER) AS \"id\"", "AS \"int4\"", "AS \"numeric\"");
    }

    @Test
    void explainShowsCallsEvaluatedInMemoryAsSql() {
        Plan plan = Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse("SELECT TRIM(LEADING 'x' FROM c.name) || o.status AS a,"
                + " EXTRACT(YEAR FROM DATE '2024-01-31') AS b, CAST(o.amount + c.id AS INTEGER) AS d, SUBSTRING(o.status, c.id) AS e"
                + " FROM customers.customers c JOIN orders.orders o ON o.customer_id = c.id"), catalog), catalog, 10));
        assertThat(plan.toString()).contains("TRIM(LEADING 'x' FROM c.NAME) || o.status AS a",
                "EXTRACT(YEAR FROM 2024-01-31) AS b", "CAST((o.amount + c.ID) AS INTEGER) AS d", "SUBSTRING(o.status, c.ID) AS e");
    }

    private Plan.Fragment fragment(String sql) {
        Plan plan = Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), catalog), catalog, 10_000));
        assertThat(plan.fragments()).hasSize(1);
        return plan.fragments().get(0);
    }
}
