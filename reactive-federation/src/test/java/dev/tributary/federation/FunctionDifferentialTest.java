package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.Dialect;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scalar functions, casts and date/timestamp literals give PostgreSQL's rows both when pushed down whole to
 * H2, PostgreSQL or MariaDB and when evaluated in memory over a join of all three. Adds one small table per
 * database to the {@link ShopFixture}: {@code fn_h2} (H2 crm), {@code fn_pg} (PostgreSQL sales), {@code fn_my}
 * (MariaDB stock), each with DATE and TIMESTAMP columns, and all three to the oracle schema.
 */
class FunctionDifferentialTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String[] FUNCTIONS = {"ABS(", "ROUND(", "SUBSTRING(", "LENGTH(", "TRIM(", "CONCAT", "||",
        "EXTRACT(", "CAST("};
    private static final String JOIN = " FROM fn_h2 h JOIN fn_pg p ON p.id = h.id JOIN fn_my m ON m.id = h.id";

    private static ShopFixture shop;
    private static Federation federation;

    /** A query; {@code pushed} when it must go whole to its one database. */
    record Case(String name, String sql, boolean pushed) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        Database ora = shop.oracleDb();
        Flux.concat(
                create(shop.databases.get("crm"), "fn_h2", 1),
                create(shop.databases.get("sales"), "fn_pg", 2),
                create(shop.databases.get("stock"), "fn_my", 3),
                create(ora, "fn_h2", 1), create(ora, "fn_pg", 2), create(ora, "fn_my", 3))
                .then().block(TIMEOUT);
        federation = Federation.over(shop.databases);
    }

    private static Mono<Long> create(Database db, String table, int seed) {
        String text = db.dialect() == Dialect.POSTGRESQL ? "VARCHAR(20) COLLATE \"C\"" : "VARCHAR(20)";
        String ddl = "CREATE TABLE " + table + " (id INT PRIMARY KEY, label " + text + ", happened DATE, stamp "
                + (db.dialect() == Dialect.MARIADB ? "DATETIME(6)" : "TIMESTAMP") + ", qty INT, ratio DECIMAL(10,3))"
                + (db.dialect() == Dialect.MARIADB ? " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : "");
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
        List<Object> binds = new ArrayList<>();
        List<Object[]> rows = rows(seed);
        for (int r = 0; r < rows.size(); r++) {
            insert.append(r == 0 ? "(" : ", (");
            for (int c = 0; c < 6; c++) {
                insert.append(c == 0 ? "" : ", ").append(db.dialect().bindMarker(binds.size()));
                binds.add(rows.get(r)[c]);
            }
            insert.append(')');
        }
        return db.update("DROP TABLE IF EXISTS " + table).then(db.update(ddl))
                .then(db.update(insert.toString(), binds.toArray()));
    }

    /** 40 rows: NULLs in every nullable column, padded and non-ASCII labels, halves to round, a leap day. */
    static List<Object[]> rows(int seed) {
        String[] labels = {"  Alpha ", "beta", "Gamma", null, "\u03b4elta", "x-ray-x", "", "0042", "xx", "caf\u00e9 au lait"};
        Random rnd = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int id = 1; id <= 40; id++) {
            LocalDate day = rnd.nextInt(8) == 0 ? null
                    : id == 7 ? LocalDate.of(2024, 2, 29) : LocalDate.of(2020 + rnd.nextInt(6), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            LocalDateTime stamp = rnd.nextInt(8) == 0 ? null : LocalDateTime.of(2021 + rnd.nextInt(4), 1 + rnd.nextInt(12),
                    1 + rnd.nextInt(28), rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(4) * 250_000_000);
            Integer qty = rnd.nextInt(9) == 0 ? null : rnd.nextInt(9) - 3;
            BigDecimal ratio = rnd.nextInt(9) == 0 ? null : BigDecimal.valueOf(rnd.nextInt(40_000) - 20_000, 3)
                    .setScale(rnd.nextBoolean() ? 1 : 3, java.math.RoundingMode.DOWN).setScale(3)
                    .add(rnd.nextBoolean() ? new BigDecimal("0.005") : BigDecimal.ZERO);
            rows.add(new Object[] {id, labels[rnd.nextInt(labels.length)], day, stamp, qty, ratio});
        }
        return rows;
    }

    static Stream<Case> queries() {
        List<Case> q = new ArrayList<>();
        for (String t : new String[] {"fn_h2", "fn_pg", "fn_my"}) {
            String from = " FROM " + t + " t";
            q.add(pushed(t, "ABS and ROUND", "SELECT t.id, ABS(t.qty), ABS(t.ratio), ROUND(t.ratio), ROUND(t.ratio, 1),"
                    + " ROUND(t.ratio, 2), ROUND(t.ratio, -1), ROUND(t.qty, 1), ROUND(t.qty)" + from));
            q.add(pushed(t, "SUBSTRING", "SELECT t.id, SUBSTRING(t.label, 2, 3), SUBSTRING(t.label FROM 3),"
                    + " SUBSTRING(t.label, t.qty, 2), SUBSTRING(t.label FROM t.qty), SUBSTR(t.label, 1, t.qty + 3)" + from
                    + " WHERE t.qty > -4 OR t.qty IS NULL"));
            q.add(pushed(t, "LENGTH and TRIM", "SELECT t.id, LENGTH(t.label), TRIM(t.label), TRIM(LEADING FROM t.label),"
                    + " TRIM(TRAILING FROM t.label), TRIM(BOTH 'x' FROM t.label), TRIM(LEADING '0' FROM t.label),"
                    + " CHAR_LENGTH(TRIM(t.label))" + from));
            q.add(pushed(t, "CONCAT and ||", "SELECT t.id, CONCAT(t.label, t.qty, t.ratio), t.label || '-' || t.qty,"
                    + " CONCAT(t.label, t.happened), t.label || t.happened, CONCAT(t.qty), 'n=' || t.ratio" + from));
            q.add(pushed(t, "EXTRACT", "SELECT t.id, EXTRACT(YEAR FROM t.happened), EXTRACT(MONTH FROM t.stamp),"
                    + " EXTRACT(DAY FROM t.happened), EXTRACT(YEAR FROM t.stamp) - EXTRACT(YEAR FROM t.happened)" + from));
            q.add(pushed(t, "CAST", "SELECT t.id, CAST(t.ratio AS INTEGER), CAST(t.ratio AS BIGINT), CAST(t.qty AS NUMERIC(6,2)),"
                    + " CAST(t.ratio AS NUMERIC(6,1)), CAST(t.ratio AS VARCHAR(5)), CAST(t.happened AS TIMESTAMP),"
                    + " CAST(t.stamp AS DATE), CAST(t.qty AS DOUBLE PRECISION), CAST(t.label AS TEXT), CAST(t.ratio AS NUMERIC),"
                    + " CAST(t.qty AS VARCHAR), CAST(CAST(t.qty AS VARCHAR) AS INTEGER), CAST('2024-01-31' AS DATE)" + from));
            q.add(pushed(t, "date and timestamp literals", "SELECT t.id, t.happened, t.stamp" + from
                    + " WHERE t.happened >= DATE '2022-03-01' AND t.stamp < TIMESTAMP '2023-06-01 12:00:00'"
                    + " OR t.happened BETWEEN DATE '2020-01-01' AND DATE '2020-12-31' OR t.stamp > DATE '2024-10-01'"
                    + " OR t.happened = DATE '2024-02-29'"));
            q.add(pushed(t, "functions in WHERE", "SELECT t.id, t.label" + from + " WHERE LENGTH(TRIM(t.label)) > 4"
                    + " OR SUBSTRING(t.label, 1, 1) = 'x' OR t.label || 'z' LIKE '%az' OR EXTRACT(YEAR FROM t.happened) = 2024"
                    + " OR CAST(t.stamp AS DATE) < DATE '2021-03-01' OR ROUND(t.ratio, 1) = 1.5"));
        }
        q.add(pushed("fn_h2", "CAST AS BOOLEAN", "SELECT t.id, CAST(t.qty AS BOOLEAN) FROM fn_h2 t"));
        q.add(pushed("fn_pg", "CAST AS BOOLEAN", "SELECT t.id, CAST(t.qty AS BOOLEAN), CAST('yes' AS BOOLEAN) FROM fn_pg t"));
        q.add(new Case("in memory: ABS and ROUND", "SELECT h.id, ABS(p.qty - m.qty), ROUND(h.ratio + p.ratio, 1),"
                + " ROUND(h.ratio - m.ratio), ROUND(p.qty * m.qty), ROUND(h.ratio * p.qty, -1)" + JOIN, false));
        q.add(new Case("in memory: SUBSTRING, LENGTH and TRIM", "SELECT h.id, SUBSTRING(h.label, p.qty, 2),"
                + " SUBSTRING(m.label FROM p.qty), SUBSTRING(h.label FROM m.qty + 1 FOR p.qty + 3),"
                + " LENGTH(COALESCE(m.label, h.label)), TRIM(COALESCE(h.label, p.label)), TRIM(LEADING FROM h.label || m.label),"
                + " TRIM(BOTH 'x' FROM COALESCE(p.label, m.label))" + JOIN + " WHERE p.qty > -3", false));
        q.add(new Case("in memory: CONCAT and ||", "SELECT h.id, CONCAT(h.label, p.qty, m.ratio, p.happened),"
                + " h.label || '-' || m.qty, p.label || m.happened, CONCAT(h.label, m.label), m.ratio || h.label" + JOIN, false));
        q.add(new Case("in memory: EXTRACT", "SELECT h.id, EXTRACT(YEAR FROM COALESCE(h.happened, m.happened)),"
                + " EXTRACT(MONTH FROM COALESCE(p.stamp, m.stamp)), EXTRACT(DAY FROM COALESCE(m.happened, p.happened)),"
                + " EXTRACT(YEAR FROM COALESCE(h.happened, p.happened)) / 4" + JOIN, false));
        q.add(new Case("in memory: CAST", "SELECT h.id, CAST(h.ratio + p.ratio AS INTEGER), CAST(m.ratio * p.qty AS NUMERIC(8,1)),"
                + " CAST(COALESCE(h.label, m.label) AS VARCHAR(3)), CAST(COALESCE(h.happened, m.happened) AS TIMESTAMP),"
                + " CAST(COALESCE(p.stamp, m.stamp) AS DATE), CAST(p.qty + m.qty AS DOUBLE PRECISION) / 4,"
                + " CAST(h.qty + m.qty AS BOOLEAN), CAST(m.ratio + h.ratio AS VARCHAR), CAST(p.qty - h.qty AS TEXT)" + JOIN, false));
        q.add(new Case("in memory: date literals in a residual filter", "SELECT h.id, h.happened, m.stamp" + JOIN
                + " WHERE COALESCE(h.happened, p.happened) >= DATE '2022-03-01' OR m.stamp < TIMESTAMP '2021-06-01 12:00:00'"
                + " OR p.stamp > DATE '2024-10-01' AND h.happened < m.happened", false));
        q.add(new Case("in memory: functions in a residual filter", "SELECT h.id, p.id" + JOIN
                + " WHERE LENGTH(TRIM(h.label)) > p.qty OR CAST(m.stamp AS DATE) < h.happened"
                + " OR EXTRACT(YEAR FROM h.happened) = EXTRACT(YEAR FROM m.stamp) OR SUBSTRING(h.label, 1, 1) = m.label"
                + " OR h.label || p.label = 'xxbeta'", false));
        return q.stream();
    }

    private static Case pushed(String table, String name, String sql) {
        return new Case(name + " pushed to " + table, sql.replace("fn_h2 t", table + " t"), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void rowsEqualPostgres(Case q) {
        Plan plan = federation.explain(q.sql()).block(TIMEOUT);
        if (q.pushed()) {
            assertThat(plan.pushedWhole()).as("sent whole to its database").isTrue();
        } else {
            assertThat(plan.fragments()).hasSize(3).allSatisfy(f ->
                    assertThat(f.sql()).as("functions are evaluated in memory").doesNotContain(FUNCTIONS));
        }
        List<List<Object>> expected = sorted(DifferentialTest.normalize(
                shop.oracleDb().query(q.sql()).collectList().block(TIMEOUT)));
        List<List<Object>> actual = sorted(DifferentialTest.normalize(federation.query(q.sql()).collectList().block(TIMEOUT)));
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(expected).as("the oracle must return rows for the query to test anything").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fn_h2", "fn_pg", "fn_my"})
    void longParametersWorkWhereIntegersAreExpected(String table) {
        String sql = "SELECT t.id, SUBSTRING(t.label, ?, ?), ROUND(t.ratio, ?) FROM " + table + " t";
        List<List<Object>> expected = sorted(DifferentialTest.normalize(shop.oracleDb()
                .query(sql.replaceFirst("\\?", "0").replaceFirst("\\?", "3").replaceFirst("\\?", "1")).collectList().block(TIMEOUT)));
        List<List<Object>> actual = sorted(DifferentialTest.normalize(federation.query(sql, 0L, 3L, 1L).collectList().block(TIMEOUT)));
        assertThat(actual).containsExactlyElementsOf(expected).isNotEmpty();
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }
}
