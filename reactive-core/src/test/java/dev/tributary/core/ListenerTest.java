package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.CircuitBreakerEvent;
import dev.tributary.core.resilience.CircuitBreakerSettings;
import dev.tributary.core.resilience.ResilienceSettings;
import dev.tributary.core.resilience.RetrySettings;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** TributaryListener: what each call, connection, breaker and transaction reports, and that listeners cannot break calls. */
class ListenerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Databases databases;

    @AfterEach
    void close() {
        if (databases != null) {
            StepVerifier.create(databases.close()).expectComplete().verify(TIMEOUT);
        }
    }

    /** Records every event as a line of text. */
    static class Recording implements TributaryListener {

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Duration> durations = new CopyOnWriteArrayList<>();

        @Override
        public void connectionCreated(String database) {
            events.add("created " + database);
        }

        @Override
        public void connectionAcquired(String database) {
            events.add("acquired " + database);
        }

        @Override
        public void connectionReleased(String database) {
            events.add("released " + database);
        }

        @Override
        public void connectionClosed(String database) {
            events.add("closed " + database);
        }

        @Override
        public void queryStarted(QueryEvent query) {
            events.add("started " + query.kind() + " " + query.database() + " " + query.sql());
        }

        @Override
        public void queryFinished(QueryEvent query, Duration duration, long rows) {
            durations.add(duration);
            events.add("finished " + query.kind() + " " + query.database() + " rows=" + rows);
        }

        @Override
        public void queryFailed(QueryEvent query, Duration duration, Throwable error) {
            events.add("failed " + query.kind() + " " + query.database() + " " + error.getClass().getSimpleName());
        }

        @Override
        public void breakerTransition(CircuitBreakerEvent event) {
            events.add("breaker " + event.name() + " " + event.previousState() + "->" + event.state());
        }

        @Override
        public void transactionBegin(TransactionEvent transaction) {
            events.add("begin " + describe(transaction));
        }

        @Override
        public void transactionPrepare(TransactionEvent transaction) {
            events.add("prepare " + describe(transaction));
        }

        @Override
        public void transactionCommit(TransactionEvent transaction) {
            events.add("commit " + describe(transaction));
        }

        @Override
        public void transactionRollback(TransactionEvent transaction) {
            events.add("rollback " + describe(transaction));
        }

        private static String describe(TransactionEvent t) {
            return (t.transactionId() == null ? "local" : "global") + " " + t.database();
        }

        List<String> only(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).toList();
        }
    }

    /** Throws from every method. */
    static final class Throwing implements TributaryListener {

        @Override
        public void connectionAcquired(String database) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void connectionReleased(String database) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void queryStarted(QueryEvent query) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void queryFinished(QueryEvent query, Duration duration, long rows) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void queryFailed(QueryEvent query, Duration duration, Throwable error) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void transactionBegin(TransactionEvent transaction) {
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void transactionCommit(TransactionEvent transaction) {
            throw new IllegalStateException("listener bug");
        }
    }

    private Database h2(String name, TributaryListener... listeners) {
        Databases.Builder b = Databases.builder().database(name, "r2dbc:h2:mem:///" + name + "?options=DB_CLOSE_DELAY=-1");
        for (TributaryListener l : listeners) {
            b.listener(l);
        }
        databases = b.build();
        return databases.get(name);
    }

    @Test
    void queriesUpdatesAndBatchesReportTheirKindTheirSqlAndTheirRows() {
        Recording recording = new Recording();
        Database db = h2("obs_l_calls", recording);
        StepVerifier.create(db.update("CREATE TABLE obs_l_t (id INT)")
                        .then(db.batch("INSERT INTO obs_l_t VALUES ($1)", List.of(new Object[] {1}, new Object[] {2},
                                new Object[] {3})))
                        .then(db.update("UPDATE obs_l_t SET id = id + 10 WHERE id > 1"))
                        .thenMany(db.query("SELECT id FROM obs_l_t ORDER BY id")))
                .expectNextCount(3)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(recording.only("started")).containsExactly(
                "started UPDATE obs_l_calls CREATE TABLE obs_l_t (id INT)",
                "started BATCH obs_l_calls INSERT INTO obs_l_t VALUES ($1)",
                "started UPDATE obs_l_calls UPDATE obs_l_t SET id = id + 10 WHERE id > 1",
                "started QUERY obs_l_calls SELECT id FROM obs_l_t ORDER BY id");
        assertThat(recording.only("finished")).containsExactly("finished UPDATE obs_l_calls rows=0",
                "finished BATCH obs_l_calls rows=3", "finished UPDATE obs_l_calls rows=2",
                "finished QUERY obs_l_calls rows=3");
        assertThat(recording.durations).allSatisfy(d -> assertThat(d).isPositive());
    }

    @Test
    void aFailedQueryIsReportedWithItsErrorAndTheSubscriberGetsTheSameError() {
        Recording recording = new Recording();
        Database db = h2("obs_l_fail", recording);
        StepVerifier.create(db.query("SELECT * FROM obs_l_missing"))
                .expectError(io.r2dbc.spi.R2dbcBadGrammarException.class)
                .verify(TIMEOUT);
        assertThat(recording.only("failed")).containsExactly("failed QUERY obs_l_fail R2dbcBadGrammarException");
        assertThat(recording.only("finished")).isEmpty();
    }

    @Test
    void aCancelledQueryIsReportedFinishedWithTheRowsItEmitted() {
        Recording recording = new Recording();
        Database db = h2("obs_l_cancel", recording);
        StepVerifier.create(db.query("SELECT X FROM SYSTEM_RANGE(1, 1000)").take(2))
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(recording.only("finished")).containsExactly("finished QUERY obs_l_cancel rows=2");
    }

    @Test
    void connectionsAreReportedCreatedAcquiredReleasedAndClosedWithTheRegistry() {
        Recording recording = new Recording();
        Database db = h2("obs_l_conn", recording);
        StepVerifier.create(db.query("SELECT 1").then(db.query("SELECT 2").then()))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(recording.only("created")).containsExactly("created obs_l_conn");
        assertThat(recording.only("acquired")).hasSize(2);
        assertThat(recording.only("released")).hasSize(2);
        StepVerifier.create(databases.close()).expectComplete().verify(TIMEOUT);
        databases = null;
        assertThat(recording.only("closed")).containsExactly("closed obs_l_conn");
    }

    @Test
    void aThrowingListenerNeverFailsTheCallAndTheOthersStillHearEveryEvent() {
        Recording recording = new Recording();
        Database db = h2("obs_l_throw", new Throwing(), recording);
        StepVerifier.create(db.query("SELECT X FROM SYSTEM_RANGE(1, 3)").map(row -> row.get(0, Long.class)))
                .expectNext(1L, 2L, 3L)
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(db.query("SELECT * FROM obs_l_missing"))
                .expectError(io.r2dbc.spi.R2dbcBadGrammarException.class)
                .verify(TIMEOUT);
        StepVerifier.create(db.inTransaction(session -> session.update("CREATE TABLE obs_l_tt (id INT)")))
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(recording.only("finished")).containsExactly("finished QUERY obs_l_throw rows=3");
        assertThat(recording.only("failed")).hasSize(1);
        assertThat(recording.only("commit")).containsExactly("commit local obs_l_throw");
    }

    @Test
    void aTransactionOnOneDatabaseReportsBeginThenCommitOrRollback() {
        Recording recording = new Recording();
        Database db = h2("obs_l_tx", recording);
        StepVerifier.create(db.update("CREATE TABLE obs_l_tx_t (id INT)")
                        .thenMany(db.inTransaction(s -> s.update("INSERT INTO obs_l_tx_t VALUES (1)")))
                        .thenMany(db.inTransaction(s -> s.update("INSERT INTO obs_l_tx_t VALUES (2)")
                                .then(Mono.error(new IllegalStateException("the work fails"))))))
                .expectErrorMessage("the work fails")
                .verify(TIMEOUT);
        assertThat(recording.events.stream().filter(e -> e.matches("(begin|commit|rollback).*")).toList())
                .containsExactly("begin local obs_l_tx", "commit local obs_l_tx", "begin local obs_l_tx",
                        "rollback local obs_l_tx");
    }

    @Test
    void aTransactionAcrossDatabasesReportsBeginEachPrepareAndCommit() {
        Recording recording = new Recording();
        databases = Databases.builder()
                .database("obs_l_ga", "r2dbc:h2:mem:///obs_l_ga?options=DB_CLOSE_DELAY=-1")
                .database("obs_l_gb", "r2dbc:h2:mem:///obs_l_gb?options=DB_CLOSE_DELAY=-1")
                .transactions(TransactionSettings.builder().logDatabase("obs_l_ga").nodeId("obs-l")
                        .recoverOnStart(false).tablePrefix("obs_l_txlog").build())
                .listener(recording)
                .build();
        StepVerifier.create(databases.get("obs_l_ga").update("CREATE TABLE obs_l_g (id INT)")
                        .then(databases.get("obs_l_gb").update("CREATE TABLE obs_l_g (id INT)"))
                        .thenMany(databases.inTransaction(tx -> Flux.concat(
                                tx.on("obs_l_ga").update("INSERT INTO obs_l_g VALUES (1)"),
                                tx.on("obs_l_gb").update("INSERT INTO obs_l_g VALUES (2)")))))
                .expectNext(1L, 1L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(recording.events.stream().filter(e -> e.matches("(begin|prepare|commit|rollback) global.*"))
                .toList())
                .containsExactlyInAnyOrder("begin global null", "prepare global obs_l_ga", "prepare global obs_l_gb",
                        "commit global null");
        assertThat(recording.events.indexOf("commit global null"))
                .isGreaterThan(recording.events.indexOf("prepare global obs_l_gb"));
    }

    @Test
    void breakerTransitionsAreReported() {
        Recording recording = new Recording();
        ConnectionFactory refusing = new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return Mono.error(new R2dbcNonTransientResourceException("refused"));
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return () -> "H2";
            }
        };
        databases = Databases.builder()
                .database("obs_l_down", refusing, PoolSettings.builder().maxAcquireTime(Duration.ofSeconds(5)).build(),
                        ResilienceSettings.builder()
                                .circuitBreaker(CircuitBreakerSettings.builder().consecutiveFailures(1).build())
                                .retry(RetrySettings.builder().maxRetries(0).build())
                                .build())
                .listener(recording)
                .build();
        Database db = databases.get("obs_l_down");
        StepVerifier.create(db.query("SELECT 1")).expectError().verify(TIMEOUT);
        CircuitBreaker breaker = db.circuitBreaker();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        breaker.reset();
        assertThat(recording.only("breaker")).containsExactly("breaker obs_l_down CLOSED->OPEN",
                "breaker obs_l_down OPEN->CLOSED");
    }

    @Test
    void anAsyncListenerHearsTheEventsOnItsSchedulerInOrder() throws InterruptedException {
        Scheduler scheduler = Schedulers.newSingle("obs-listener");
        try {
            CountDownLatch finished = new CountDownLatch(1);
            List<String> threads = new CopyOnWriteArrayList<>();
            Recording recording = new Recording() {
                @Override
                public void queryFinished(QueryEvent query, Duration duration, long rows) {
                    super.queryFinished(query, duration, rows);
                    threads.add(Thread.currentThread().getName());
                    finished.countDown();
                }
            };
            Database db = h2("obs_l_async", TributaryListener.async(recording, scheduler));
            StepVerifier.create(db.query("SELECT 1")).expectNextCount(1).expectComplete().verify(TIMEOUT);
            assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).singleElement().asString().startsWith("obs-listener");
            assertThat(recording.events.stream().filter(e -> e.startsWith("started") || e.startsWith("finished")))
                    .containsExactly("started QUERY obs_l_async SELECT 1", "finished QUERY obs_l_async rows=1");
        } finally {
            scheduler.dispose();
        }
    }
}
