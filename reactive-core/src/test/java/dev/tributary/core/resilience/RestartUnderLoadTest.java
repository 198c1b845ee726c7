package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Database restarts and killed sessions under a load of 8 concurrent queries, against the spare servers of
 * {@code .ci/spare-servers} (PostgreSQL 127.0.0.1:5433, MariaDB 127.0.0.1:3307), which these tests stop, start and
 * kill sessions on; H2 serves beside them. Run alone with {@code ./mvnw -pl reactive-core test -Dgroups=restart};
 * {@code ./mvnw verify} runs them too. Each prints its measured recovery times (RESILIENCE.md quotes them).
 * Fails, loudly, when a spare server is down: run {@code bash .ci/spare-servers up} first.
 */
@Tag("restart")
class RestartUnderLoadTest extends RegistryTest {

    /** The longest one query of the load may take: a query still running then is a hang. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(15);
    /** A generous bound on the time from "the server accepts connections" to the first successful query. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static final List<String> NAMES = List.of("pg", "maria", "h2");

    private Database admin;

    @BeforeEach
    void spareServersUpAndRegistry() {
        SpareServers.run("up");
        PoolSettings pool = PoolSettings.builder().maxSize(8).initialSize(4).maxAcquireTime(Duration.ofSeconds(5))
                .maxCreateConnectionTime(Duration.ofSeconds(3)).build();
        databases = Databases.builder()
                .database("pg", SpareServers.PG_URL + "?applicationName=relcore_load", pool)
                .database("maria", SpareServers.MARIADB_URL, pool)
                .database("h2", h2("relcore_restart"), pool)
                .database("pg_admin", SpareServers.PG_URL + "?applicationName=relcore_admin",
                        PoolSettings.builder().maxSize(1).build(), ResilienceSettings.none())
                .database("maria_admin", SpareServers.MARIADB_URL, PoolSettings.builder().maxSize(1).build(),
                        ResilienceSettings.none())
                .build();
        databases.warmup().block(TIMEOUT);
    }

    @AfterEach
    void spareServersLeftRunning() {
        SpareServers.run("up");
    }

    @Test
    void postgresRestartFailsOnlyItsQueriesFastAndTheyRecoverSoonAfterItAcceptsConnections() {
        restartUnderLoad("pg", "pg-stop", "pg-start");
    }

    @Test
    void mariaDbRestartFailsOnlyItsQueriesFastAndTheyRecoverSoonAfterItAcceptsConnections() {
        restartUnderLoad("maria", "maria-stop", "maria-start");
    }

    @Test
    void afterEveryPostgresSessionIsKilledTwentyTimesQueriesStarted100MsLaterSucceed() {
        admin = databases.get("pg_admin");
        killRepeatedly("pg", () -> admin.query("SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity"
                + " WHERE datname = 'test' AND pid <> pg_backend_pid()").map(r -> ((Number) r.get(0)).longValue()).single());
    }

    @Test
    void afterEveryMariaDbSessionIsKilledTwentyTimesQueriesStarted100MsLaterSucceed() {
        admin = databases.get("maria_admin");
        // the admin pool holds one connection, so one call both lists the sessions and kills them
        killRepeatedly("maria", () -> admin.inTransaction(session -> session.query("SELECT id FROM"
                        + " information_schema.processlist WHERE db = 'test' AND id <> connection_id()"
                        + " AND command <> 'Daemon'")
                .map(r -> ((Number) r.get(0)).longValue())
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> session.update("KILL CONNECTION " + id).onErrorResume(e -> Mono.just(0L)).thenReturn(1L))
                .count()).single());
    }

    private void restartUnderLoad(String down, String stop, String start) {
        Load load = Load.start(databases, NAMES);
        try {
            load.awaitSuccesses(down, 50);
            long stopped;
            long restarting;
            try {
                SpareServers.run(stop);
                stopped = System.nanoTime();
                load.awaitOutcomes(o -> o.db.equals(down) && o.started > stopped && o.error != null, 30);
                load.awaitOutcomes(o -> !o.db.equals(down) && o.started > stopped && o.error == null, 30);
            } finally {
                restarting = System.nanoTime();
                SpareServers.run(start);
            }
            long accepting = System.nanoTime();
            Outcome first = load.awaitOutcomes(o -> o.db.equals(down) && o.started > accepting && o.error == null, 1);
            long recovered = first.ended - accepting;
            load.awaitOutcomes(o -> o.db.equals(down) && o.started > first.ended && o.error == null, 20);
            load.stop();

            List<Outcome> whileDown = load.outcomes(o -> o.db.equals(down) && o.started > stopped && o.ended < restarting);
            assertThat(whileDown).as("queries of %s while it was down", down).isNotEmpty().allSatisfy(o -> {
                assertThat(o.error).isInstanceOf(DatabaseUnavailableException.class);
                assertThat(((DatabaseUnavailableException) o.error).database()).isEqualTo(down);
                assertThat(o.error).hasMessageContaining("'" + down + "'");
            });
            long slowestFailure = whileDown.stream().mapToLong(o -> o.ended - o.started).max().orElse(0);
            assertThat(Duration.ofNanos(slowestFailure)).as("each failure while down is fast").isLessThan(Duration.ofSeconds(2));
            assertThat(load.outcomes(o -> !o.db.equals(down) && o.error != null))
                    .as("the other databases fail nothing").isEmpty();
            assertThat(Duration.ofNanos(recovered)).as("from accepting connections to the first success")
                    .isLessThan(RECOVERY_BOUND);
            assertNoHangsNoLeaks(load);
            System.out.printf(Locale.ROOT, "[recovery] %s restart: down %.2f s, %d queries failed while down (slowest %.1f ms,"
                            + " breaker %s), first success %.0f ms after the server accepted connections%n", down,
                    (accepting - stopped) / 1e9, whileDown.size(), slowestFailure / 1e6,
                    databases.get(down).circuitBreaker().state(), recovered / 1e6);
        } finally {
            load.stop();
        }
    }

    private void killRepeatedly(String name, java.util.function.Supplier<Mono<Long>> killAll) {
        Database db = databases.get(name);
        Load load = Load.start(databases, List.of(name));
        List<Long> millis = new ArrayList<>();
        long killedTotal = 0;
        try {
            load.awaitSuccesses(name, 20);
            for (int round = 0; round < 20; round++) {
                killedTotal += killAll.get().block(TIMEOUT);
                long killed = System.nanoTime();
                List<Long> ends = Mono.delay(Duration.ofMillis(100))
                        .thenMany(Flux.range(0, 8).flatMap(i -> db.query("SELECT 7 AS n").map(r -> r.get(0))
                                .then(Mono.fromSupplier(System::nanoTime)).timeout(QUERY_TIMEOUT)))
                        .collectList()
                        .block(TIMEOUT);
                assertThat(ends).as("round %d: queries started 100 ms after the kill", round).hasSize(8);
                millis.add((ends.stream().mapToLong(Long::longValue).max().orElseThrow() - killed) / 1_000_000);
            }
            load.stop();
        } finally {
            load.stop();
        }
        assertThat(killedTotal).as("sessions killed").isGreaterThanOrEqualTo(20);
        assertThat(db.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertNoHangsNoLeaks(load);
        long background = load.outcomes(o -> o.error != null).size();
        System.out.printf(Locale.ROOT, "[recovery] %s: 20 kills of all %d sessions; 8 queries started 100 ms after each"
                        + " kill all succeeded, the last %d..%d ms after the kill (median %d); background load: %d of %d"
                        + " queries failed%n", name, killedTotal, millis.stream().mapToLong(Long::longValue).min().orElse(0),
                millis.stream().mapToLong(Long::longValue).max().orElse(0), millis.stream().sorted().toList().get(10),
                background, load.outcomes(o -> true).size());
    }

    private void assertNoHangsNoLeaks(Load load) {
        assertThat(load.outcomes(o -> o.error instanceof TimeoutException)).as("queries that hung").isEmpty();
        Flux.interval(Duration.ofMillis(20))
                .filter(tick -> NAMES.stream().allMatch(n -> databases.get(n).poolMetrics().acquired() == 0))
                .next()
                .block(Duration.ofSeconds(10));
        for (String n : NAMES) {
            assertThat(databases.get(n).poolMetrics().acquired()).as("connections of %s acquired at the end", n).isZero();
        }
    }

    /** One finished query of the load. */
    record Outcome(String db, long started, long ended, Throwable error) {
    }

    /** 8 concurrent queries, round robin over the databases, until stopped; every outcome is recorded. */
    static final class Load {

        private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private Disposable running;
        private Mono<Void> done;

        static Load start(Databases databases, List<String> names) {
            Load load = new Load();
            load.done = Flux.range(0, Integer.MAX_VALUE)
                    .takeWhile(i -> !load.stopped.get())
                    .flatMap(i -> load.one(databases.get(names.get(i % names.size())), i), 8)
                    .then()
                    .cache();
            load.running = load.done.subscribe();
            return load;
        }

        private Mono<Void> one(Database db, int i) {
            return Mono.defer(() -> {
                long started = System.nanoTime();
                return db.query("SELECT " + (i % 1000) + " AS n").then()
                        .timeout(QUERY_TIMEOUT)
                        .doOnSuccess(v -> outcomes.add(new Outcome(db.name(), started, System.nanoTime(), null)))
                        .onErrorResume(e -> {
                            outcomes.add(new Outcome(db.name(), started, System.nanoTime(), e));
                            return Mono.empty();
                        });
            });
        }

        List<Outcome> outcomes(Predicate<Outcome> which) {
            return outcomes.stream().filter(which).toList();
        }

        void awaitSuccesses(String db, int count) {
            awaitOutcomes(o -> o.db.equals(db) && o.error == null, count);
        }

        /** The {@code count}-th outcome matching {@code which}, in the order they ended, once there are that many. */
        Outcome awaitOutcomes(Predicate<Outcome> which, int count) {
            Flux.interval(Duration.ofMillis(2))
                    .filter(tick -> outcomes.stream().filter(which).count() >= count)
                    .next()
                    .block(Duration.ofSeconds(60));
            return outcomes.stream().filter(which).sorted((a, b) -> Long.compare(a.ended, b.ended)).skip(count - 1)
                    .findFirst().orElseThrow();
        }

        /** Stops starting queries and waits for those running. */
        void stop() {
            stopped.set(true);
            done.block(Duration.ofSeconds(30));
        }
    }
}
