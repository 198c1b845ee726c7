package dev.tributary.core;

import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.List;

/**
 * Measures what happens to the next query on a pooled connection after a query on it was cancelled
 * mid-stream (after 10 rows of a large result, after the first of a 3-row one), for each
 * {@link PooledDatabase.CancelPolicy} and database kind; the figures are in
 * {@code reactive-core/CANCEL.md}. Not a test (it blocks and times things): run it with
 * {@code ./mvnw -q -pl reactive-core test-compile exec:java -Dexec.mainClass=dev.tributary.core.CancelHazardMeasurement
 * -Dexec.classpathScope=test [-Dexec.args=50]}.
 */
public final class CancelHazardMeasurement {

    static boolean SLOW = Boolean.getBoolean("slow");
    static boolean WAIT = !Boolean.getBoolean("nowait");
    private static final Duration NEXT_QUERY_TIMEOUT = Duration.ofMillis(Long.getLong("timeoutMs", 2000));
    private static final String ONLY = System.getProperty("only", "");

    private CancelHazardMeasurement() {
    }

    public static void main(String[] args) {
        int tries = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        List<String[]> targets = List.of(
                new String[] {PostgresDatabaseTest.URL, "SELECT g FROM generate_series(1, 100000) AS g"},
                new String[] {PostgresDatabaseTest.URL, "SELECT a.g * 10000 + b.g AS n FROM generate_series(0, 999) AS a(g),"
                        + " generate_series(1, 10000) AS b(g)"},
                new String[] {PostgresDatabaseTest.URL, "SELECT g, md5(g::text) AS h FROM generate_series(1, $1) AS g"},
                new String[] {PostgresDatabaseTest.URL, "SELECT g FROM generate_series(1, 3) AS g"},
                new String[] {MariaDbDatabaseTest.URL, "SELECT seq FROM seq_1_to_100000"},
                new String[] {MariaDbDatabaseTest.URL, "SELECT seq FROM seq_1_to_3"},
                new String[] {"r2dbc:h2:mem:///core_measure?options=DB_CLOSE_DELAY=-1", "SELECT X FROM SYSTEM_RANGE(1, 100000)"});
        for (String[] target : targets) {
            for (PooledDatabase.CancelPolicy policy : PooledDatabase.CancelPolicy.values()) {
                measure(target[0], target[1], policy, tries);
            }
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            reactor.core.publisher.Mono.delay(Duration.ofMillis(200)).block();
        }
        System.exit(0);
    }

    private static void measure(String url, String manyRows, PooledDatabase.CancelPolicy policy, int tries) {
        if (!(url + " " + policy).contains(ONLY)) {
            return;
        }
        PooledDatabase db = pool(url, policy);
        db.query("SELECT 1").blockLast(Duration.ofSeconds(10));
        int hung = 0;
        long okNanos = 0;
        int ok = 0;
        for (int i = 0; i < tries; i++) {
            long start = System.nanoTime();
            Object[] binds = manyRows.contains("$1") ? new Object[] {100_000} : new Object[0];
            reactor.core.publisher.Flux<Row> rows = db.query(manyRows, binds);
            if (SLOW) {
                rows = rows.delayElements(Duration.ofMillis(10));
            }
            rows.take(manyRows.contains("_3") || manyRows.contains("1, 3)") ? 1 : 10).blockLast(Duration.ofSeconds(10));
            if (WAIT) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (db.poolMetrics().acquired() > 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            try {
                db.query("SELECT 1").blockLast(NEXT_QUERY_TIMEOUT);
                okNanos += System.nanoTime() - start;
                ok++;
            } catch (RuntimeException e) {
                hung++;
                db.close().subscribe();
                db = pool(url, policy);
            }
        }
        db.close().block(Duration.ofSeconds(10));
        System.out.printf("wait=" + WAIT + " slow=" + SLOW + " %-70s %-12s %-10s tries=%d hung=%d meanMsPerCancelAndNextQuery=%.2f%n",
                manyRows, db.dialect(), policy, tries, hung, ok == 0 ? Double.NaN : okNanos / 1e6 / ok);
    }

    private static PooledDatabase pool(String url, PooledDatabase.CancelPolicy policy) {
        return PooledDatabase.create("measure", ConnectionFactories.get(url),
                PoolSettings.builder().maxSize(1).maxAcquireTime(Duration.ofSeconds(3)).build(), policy);
    }
}
