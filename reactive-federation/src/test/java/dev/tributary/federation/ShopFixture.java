package dev.tributary.federation;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The federation test data set, created once per JVM: customers on H2 ({@code crm}, alias {@code customers}),
 * countries on a second H2 ({@code geo}), orders and order_lines on PostgreSQL (schema {@code fed_sales},
 * database {@code sales}, alias {@code orders}), products on MariaDB (database {@code fed_stock},
 * registered as {@code stock}); and all five tables in PostgreSQL schema {@code fed_oracle} as the oracle.
 * Generated deterministically with NULLs, duplicates, unmatched keys and mixed numeric key types (INT
 * customer ids against BIGINT references, DECIMAL(10,0) product ids against INT references). Shipments
 * (with a DATE column) live on MariaDB next to products. Public for the randomized differential tests in
 * {@code dev.tributary.federation.random}.
 */
public final class ShopFixture {

    static final String PG_URL = System.getenv().getOrDefault("TRIBUTARY_PG_URL",
            "r2dbc:postgresql://postgres@127.0.0.1:5432/test");
    static final String MARIADB_URL = System.getenv().getOrDefault("TRIBUTARY_MARIADB_URL",
            "r2dbc:mariadb://root@127.0.0.1:3306/test");
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);

    private static ShopFixture instance;

    /** The federated databases: crm, geo, sales, stock (aliases customers, orders). */
    public final Databases databases;
    final Databases oracle;
    final String crmUrl;
    final String salesUrl;

    private ShopFixture(Databases databases, Databases oracle, String crmUrl, String salesUrl) {
        this.databases = databases;
        this.oracle = oracle;
        this.crmUrl = crmUrl;
        this.salesUrl = salesUrl;
    }

    /** The data set, created on first use. */
    public static synchronized ShopFixture get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /**
     * Waits (up to 5 s, polling) until no database of the data set has a connection acquired, then asserts
     * it: a query that ended, failed or was cancelled must have returned every connection.
     */
    void awaitAllConnectionsReturned() {
        awaitNoConnectionAcquired(databases);
    }

    /** As {@link #awaitAllConnectionsReturned()}, for any registry. */
    static void awaitAllConnectionsReturned(Databases databases) {
        awaitNoConnectionAcquired(databases);
    }

    /** Waits (up to 5 s, polling) until no database of {@code databases} has a connection acquired, then asserts it. */
    static void awaitNoConnectionAcquired(Databases databases) {
        reactor.core.publisher.Mono.fromCallable(() -> {
                    for (String db : databases.names()) {
                        int acquired = databases.get(db).poolMetrics().acquired();
                        if (acquired != 0) {
                            throw new IllegalStateException(db + " still has " + acquired + " connections acquired");
                        }
                    }
                    return true;
                })
                .retryWhen(reactor.util.retry.Retry.fixedDelay(500, Duration.ofMillis(10)))
                .block(SETUP_TIMEOUT);
    }

    /**
     * Runs statements on the PostgreSQL ({@code pg}, database {@code test}) and MariaDB ({@code maria}) servers
     * through a registry closed afterwards.
     */
    static void onServers(java.util.function.Function<Databases, Flux<?>> statements) {
        Databases admin = Databases.builder().database("pg", PG_URL).database("maria", MARIADB_URL).build();
        try {
            statements.apply(admin).then().block(SETUP_TIMEOUT);
        } finally {
            admin.close().block(SETUP_TIMEOUT);
        }
    }

    /** The oracle database: PostgreSQL with search_path fed_oracle. */
    public Database oracleDb() {
        return oracle.get("oracle");
    }

    static String withOption(String url, String option) {
        return url + (url.contains("?") ? "&" : "?") + option;
    }

    static String withDatabase(String url, String database) {
        Matcher m = Pattern.compile("^(r2dbc:[a-z]+://[^/]+/)([^?]*)(.*)$").matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("Cannot set the database of " + url);
        }
        return m.group(1) + database + m.group(3);
    }

    private static ShopFixture create() {
        onServers(admin -> Flux.concat(
                admin.get("pg").update("DROP SCHEMA IF EXISTS fed_oracle CASCADE"),
                admin.get("pg").update("DROP SCHEMA IF EXISTS fed_sales CASCADE"),
                admin.get("pg").update("CREATE SCHEMA fed_oracle"),
                admin.get("pg").update("CREATE SCHEMA fed_sales"),
                admin.get("maria").update("DROP DATABASE IF EXISTS fed_stock"),
                admin.get("maria").update("CREATE DATABASE fed_stock CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")));
        String suffix = Long.toHexString(System.nanoTime());
        String crmUrl = "r2dbc:h2:mem:///fed_crm_" + suffix + "?options=DB_CLOSE_DELAY=-1";
        String salesUrl = withOption(PG_URL, "schema=fed_sales");
        Databases dbs = Databases.builder()
                .database("crm", crmUrl)
                .database("geo", "r2dbc:h2:mem:///fed_geo_" + suffix + "?options=DB_CLOSE_DELAY=-1")
                .database("sales", salesUrl)
                .database("stock", withDatabase(MARIADB_URL, "fed_stock"))
                .alias("customers", "crm")
                .alias("orders", "sales")
                .build();
        Databases oracle = Databases.builder().database("oracle", withOption(PG_URL, "schema=fed_oracle")).build();
        Data data = new Data();
        Database sales = dbs.get("sales");
        Database stock = dbs.get("stock");
        Database ora = oracle.get("oracle");
        Flux.concat(
                create(dbs.get("crm"), "customers", data.customers),
                create(dbs.get("geo"), "countries", data.countries),
                create(sales, "orders", data.orders),
                create(sales, "order_lines", data.lines),
                sales.update("ANALYZE orders"),
                sales.update("ANALYZE order_lines"),
                create(stock, "products", data.products),
                stock.update("ANALYZE TABLE products").onErrorResume(e -> Mono.just(0L)),
                create(stock, "shipments", data.shipments),
                create(ora, "customers", data.customers),
                create(ora, "countries", data.countries),
                create(ora, "orders", data.orders),
                create(ora, "order_lines", data.lines),
                create(ora, "products", data.products),
                create(ora, "shipments", data.shipments))
                .then().block(SETUP_TIMEOUT);
        return new ShopFixture(dbs, oracle, crmUrl, salesUrl);
    }

    private static final java.util.Map<String, String> DDL = java.util.Map.of(
            "customers", "(id INT PRIMARY KEY, name VARCHAR(40)~ NOT NULL, country VARCHAR(2)~, segment VARCHAR(10)~,"
                    + " credit DECIMAL(10,2))",
            "countries", "(code VARCHAR(2)~ PRIMARY KEY, name VARCHAR(40)~ NOT NULL, region VARCHAR(20)~)",
            "orders", "(id BIGINT PRIMARY KEY, customer_id BIGINT, amount DECIMAL(12,2) NOT NULL,"
                    + " status VARCHAR(10)~ NOT NULL, priority INT)",
            "order_lines", "(order_id BIGINT NOT NULL, line_no INT NOT NULL, product_id INT, qty INT NOT NULL,"
                    + " price DECIMAL(10,2))",
            "products", "(id DECIMAL(10,0) PRIMARY KEY, name VARCHAR(40)~ NOT NULL, category VARCHAR(20)~,"
                    + " price DECIMAL(10,2) NOT NULL, stock INT)",
            "shipments", "(id INT PRIMARY KEY, order_id BIGINT, shipped_on DATE, carrier VARCHAR(10)~, weight DECIMAL(8,3))");

    /**
     * Creates a table of the data set and loads its rows. Strings compare by code point everywhere:
     * COLLATE "C" on PostgreSQL, utf8mb4_bin on MariaDB, H2's default.
     */
    private static Mono<Long> create(Database db, String table, List<Object[]> rows) {
        String ddl = "CREATE TABLE " + table + " " + DDL.get(table).replace("~",
                db.dialect() == dev.tributary.core.Dialect.POSTGRESQL ? " COLLATE \"C\"" : "");
        if (db.dialect() == dev.tributary.core.Dialect.MARIADB) {
            ddl += " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
        }
        return db.update(ddl).then(insert(db, table, rows.get(0).length, rows));
    }

    private static Mono<Long> insert(Database db, String table, int columns, List<Object[]> rows) {
        List<Mono<Long>> chunks = new ArrayList<>();
        int chunk = 100;
        for (int from = 0; from < rows.size(); from += chunk) {
            List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + chunk));
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            List<Object> binds = new ArrayList<>();
            for (int r = 0; r < part.size(); r++) {
                sql.append(r == 0 ? "(" : ", (");
                for (int c = 0; c < columns; c++) {
                    sql.append(c == 0 ? "" : ", ").append(db.dialect().bindMarker(binds.size()));
                    binds.add(part.get(r)[c]);
                }
                sql.append(')');
            }
            chunks.add(Mono.defer(() -> db.update(sql.toString(), binds.toArray())));
        }
        return Flux.concat(chunks).reduce(0L, Long::sum);
    }

    /** The generated rows, identical on every run. */
    static final class Data {
        static final String[] CODES = {"DE", "FR", "IT", "ES", "NL", "BE", "AT", "CH", "PL", "SE", "NO", "DK", "FI",
            "PT", "IE", "GB", "US", "CA", "MX", "BR", "JP", "CN", "IN", "AU", "NZ"};
        static final String[] REGIONS = {"EU", "EU", "EU", "EU", "EU", "EU", "EU", "EU", "EU", "Nordics", "Nordics",
            "Nordics", "Nordics", "EU", "EU", null, "NA", "NA", "NA", "SA", "APAC", "APAC", null, "APAC", "APAC"};
        static final String[] SEGMENTS = {"retail", "smb", "enterprise", null};
        static final String[] STATUSES = {"open", "paid", "shipped", "cancelled"};
        static final String[] CATEGORIES = {"tools", "garden", "kitchen", "toys", null};
        static final String[] CARRIERS = {"dhl", "ups", "fedex", "post", null};

        final List<Object[]> countries = new ArrayList<>();
        final List<Object[]> customers = new ArrayList<>();
        final List<Object[]> orders = new ArrayList<>();
        final List<Object[]> lines = new ArrayList<>();
        final List<Object[]> products = new ArrayList<>();
        final List<Object[]> shipments = new ArrayList<>();

        Data() {
            Random rnd = new Random(20261122);
            for (int i = 0; i < CODES.length; i++) {
                countries.add(new Object[] {CODES[i], "Country " + CODES[i], REGIONS[i]});
            }
            for (int id = 1; id <= 400; id++) {
                int pick = rnd.nextInt(40);
                String country = pick < 30 ? CODES[pick % 12] : pick < 36 ? CODES[pick % CODES.length] : pick < 38 ? "ZZ" : null;
                BigDecimal credit = rnd.nextInt(10) == 0 ? null : BigDecimal.valueOf(rnd.nextInt(100_000), 2);
                customers.add(new Object[] {id, "Customer " + (id % 170), country, SEGMENTS[rnd.nextInt(4)], credit});
            }
            long lineCount = 0;
            for (long id = 1; id <= 1500; id++) {
                int r = rnd.nextInt(100);
                Long customer = r < 5 ? null : r < 10 ? 400L + rnd.nextInt(40) + 1 : (long) (1 + rnd.nextInt(r < 60 ? 60 : 400));
                BigDecimal amount = BigDecimal.valueOf(100 + rnd.nextInt(99_900), 2);
                Integer priority = rnd.nextInt(6) == 0 ? null : rnd.nextInt(5);
                orders.add(new Object[] {id, customer, amount, STATUSES[rnd.nextInt(4)], priority});
                if (lineCount < 3000) {
                    int n = id % 7 == 0 ? 0 : 1 + rnd.nextInt(3);
                    for (int l = 1; l <= n && lineCount < 3000; l++, lineCount++) {
                        Integer product = rnd.nextInt(20) == 0 ? null : 1 + rnd.nextInt(130);
                        BigDecimal price = rnd.nextInt(15) == 0 ? null : BigDecimal.valueOf(50 + rnd.nextInt(5000), 2);
                        lines.add(new Object[] {id, l, product, 1 + rnd.nextInt(9), price});
                    }
                }
            }
            for (int id = 1; id <= 120; id++) {
                Integer stockCount = rnd.nextInt(8) == 0 ? null : rnd.nextInt(500);
                products.add(new Object[] {BigDecimal.valueOf(id), "Product " + (id % 100),
                    CATEGORIES[rnd.nextInt(CATEGORIES.length)], BigDecimal.valueOf(99 + rnd.nextInt(20_000), 2), stockCount});
            }
            Random ship = new Random(20261123);
            LocalDate first = LocalDate.of(2023, 1, 1);
            for (int id = 1; id <= 900; id++) {
                int r = ship.nextInt(100);
                Long order = r < 4 ? null : r < 8 ? 1500L + ship.nextInt(50) + 1 : (long) (1 + ship.nextInt(1500));
                LocalDate day = ship.nextInt(10) == 0 ? null : first.plusDays(ship.nextInt(4 * 365));
                String carrier = CARRIERS[ship.nextInt(CARRIERS.length)];
                BigDecimal weight = ship.nextInt(12) == 0 ? null : BigDecimal.valueOf(1 + ship.nextInt(50_000), 3);
                shipments.add(new Object[] {id, order, day, carrier, weight});
            }
        }
    }
}
