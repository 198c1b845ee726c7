package dev.tributary.samples;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolMetrics;
import dev.tributary.core.Row;
import dev.tributary.core.health.HealthReport;
import dev.tributary.federation.Federation;
import java.io.PrintStream;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The console demo: registers two H2 in-memory databases, {@code customers} and {@code orders}, seeds them
 * with {@link SampleData}, queries each, runs AMSDAL Glue's example join across the two ({@link #GLUE_EXAMPLE})
 * and prints its plan and rows, then each pool's metrics and each database's health; then closes the
 * registry and exits. Needs no database server.
 *
 * <p>Run it from the repository root with {@code ./mvnw -q -pl samples -am compile -Prun -Ddemo}.
 */
public final class ConsoleDemo {

    /** The customers database: H2 in memory, kept for the life of the JVM. */
    public static final String CUSTOMERS_URL = "r2dbc:h2:mem:///customers?options=DB_CLOSE_DELAY=-1";

    /** The orders database: a second, separate H2 in-memory database. */
    public static final String ORDERS_URL = "r2dbc:h2:mem:///orders?options=DB_CLOSE_DELAY=-1";

    /** AMSDAL Glue's example: a join of two tables that live in two different databases. */
    public static final String GLUE_EXAMPLE =
            "SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id";

    private ConsoleDemo() {
    }

    /** Runs the demo on the two in-memory databases and prints to standard output. */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "console-demo-logback.xml");
        }
        run(System.out, CUSTOMERS_URL, ORDERS_URL).block();
    }

    /**
     * The demo on the databases at these URLs.
     *
     * @return completes when everything is printed and the registry is closed; signals the first error
     *     (after closing the registry)
     */
    public static Mono<Void> run(PrintStream out, String customersUrl, String ordersUrl) {
        return Mono.usingWhen(
                Mono.fromSupplier(() -> Databases.builder()
                        .database(SampleData.CUSTOMERS, customersUrl)
                        .database(SampleData.ORDERS, ordersUrl)
                        .build()),
                databases -> SampleData.seed(databases).then(show(out, databases)),
                Databases::close);
    }

    private static Mono<Void> show(PrintStream out, Databases databases) {
        Database customers = databases.get(SampleData.CUSTOMERS);
        Database orders = databases.get(SampleData.ORDERS);
        return Mono.fromRunnable(() -> out.println("Tributary console demo: two H2 in-memory databases, no server needed"))
                .then(print(out, customers, "SELECT id, name, country FROM customers ORDER BY id"))
                .then(print(out, orders, "SELECT id, customer_id, amount, status FROM orders WHERE id <= 10 ORDER BY id"))
                .then(federated(out, Federation.over(databases), GLUE_EXAMPLE))
                .then(Mono.fromRunnable(() -> {
                    out.println();
                    out.println("Pool metrics");
                    for (String name : databases.names()) {
                        out.println("  " + name + ": " + describe(databases.get(name).poolMetrics()));
                    }
                }))
                .then(databases.health())
                .doOnNext(reports -> {
                    out.println();
                    out.println("Health");
                    for (HealthReport report : reports) {
                        out.println("  " + describe(report));
                    }
                })
                .then();
    }

    private static Mono<Void> federated(PrintStream out, Federation federation, String sql) {
        return federation.explain(sql)
                .doOnNext(plan -> {
                    out.println();
                    out.println("Federated across both databases: " + sql);
                    out.println("Plan:");
                    out.println(plan.toString().stripTrailing().indent(2).stripTrailing());
                })
                .then(federation.query(sql).collectList())
                .doOnNext(rows -> {
                    out.println("Rows:");
                    out.print(TextTable.format(rows));
                })
                .then();
    }

    private static Mono<Void> print(PrintStream out, Database db, String sql) {
        return db.query(sql).collectList().doOnNext(rows -> {
            out.println();
            out.println(db.name() + " (" + db.dialect() + "): " + sql);
            out.print(TextTable.format(rows));
        }).then();
    }

    static String describe(HealthReport r) {
        return r.database() + ": " + r.status()
                + (r.validationTime() == null ? "" : ", validated in " + r.validationTime().toMillis() + " ms")
                + (r.breakerState() == null ? "" : ", circuit breaker " + r.breakerState())
                + (r.lastError() == null ? "" : ", last error: " + r.lastError());
    }

    static String describe(PoolMetrics m) {
        return m.allocated() + " allocated, " + m.acquired() + " acquired, " + m.idle() + " idle, " + m.pending()
                + " pending (max " + m.maxAllocated() + ")";
    }

    /** Rows as a plain-text table, one line per row, the columns padded to their widest value. */
    static final class TextTable {

        private TextTable() {
        }

        static String format(List<Row> rows) {
            if (rows.isEmpty()) {
                return "  (no rows)\n";
            }
            List<String> names = rows.get(0).columnNames();
            int[] widths = new int[names.size()];
            for (int c = 0; c < widths.length; c++) {
                widths[c] = names.get(c).length();
                for (Row row : rows) {
                    widths[c] = Math.max(widths[c], String.valueOf(row.get(c)).length());
                }
            }
            StringBuilder sb = new StringBuilder();
            line(sb, widths, names.toArray());
            for (Row row : rows) {
                line(sb, widths, row.values());
            }
            sb.append("  (").append(rows.size()).append(rows.size() == 1 ? " row)\n" : " rows)\n");
            return sb.toString();
        }

        private static void line(StringBuilder sb, int[] widths, Object[] values) {
            sb.append(' ');
            for (int c = 0; c < widths.length; c++) {
                String v = String.valueOf(values[c]);
                sb.append(' ').append(v).append(" ".repeat(widths[c] - v.length())).append(c + 1 < widths.length ? " |" : "");
            }
            sb.append('\n');
        }
    }
}
