package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Dead pooled connections are replaced, not reported (H2; the restarts of real servers are RestartUnderLoadTest). */
class DeadConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PooledDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close().block(TIMEOUT);
        }
    }

    private PooledDatabase database(String name) {
        return PooledDatabase.create(name, ConnectionFactories.get("r2dbc:h2:mem:///relcore_" + name
                + "?options=DB_CLOSE_DELAY=-1"), PoolSettings.builder().maxSize(3).initialSize(0).acquireRetry(0).build());
    }

    /** Borrows {@code n} connections at once, returns them, and gives the driver connections under them. */
    private List<Connection> pooled(int n) {
        List<Connection> raw = new ArrayList<>();
        Flux.range(0, n)
                .flatMap(i -> db.withConnection(c -> {
                    raw.add(LiveConnections.unwrap(c));
                    return Mono.delay(Duration.ofMillis(20)).thenReturn(1);
                }), n)
                .blockLast(TIMEOUT);
        assertThat(db.poolMetrics().idle()).isEqualTo(n);
        return raw;
    }

    @Test
    void everyIdleConnectionClosedBehindThePoolsBackIsReplacedWithoutTheCallerOrTheBreakerSeeingIt() {
        db = database("dead_all");
        for (Connection raw : pooled(3)) {
            Mono.from(raw.close()).block(TIMEOUT); // as a server restart does to them all
        }
        StepVerifier.create(Flux.range(0, 6).concatMap(i -> db.query("SELECT 1 AS n", Integer.class)))
                .expectNextCount(6)
                .verifyComplete();
        assertThat(db.circuitBreaker().metrics().lastFailure()).as("the breaker saw nothing").isNull();
        assertThat(db.circuitBreaker().metrics().bufferedCalls()).isEqualTo(6);
        assertThat(db.poolMetrics().acquired()).isZero();
    }

    @Test
    void writesAndTransactionsAlsoGetALiveConnection() {
        db = database("dead_writes");
        db.update("CREATE TABLE relcore_dead (id INT)").block(TIMEOUT);
        for (Connection raw : pooled(3)) {
            Mono.from(raw.close()).block(TIMEOUT);
        }
        StepVerifier.create(db.update("INSERT INTO relcore_dead VALUES (1)")).expectNext(1L).verifyComplete();
        StepVerifier.create(db.inTransaction(s -> s.query("SELECT count(*) FROM relcore_dead", Long.class)))
                .expectNext(1L).verifyComplete();
        assertThat(db.circuitBreaker().metrics().lastFailure()).isNull();
    }

    /**
     * Connections that pass the driver's local check but fail a round trip once marked dead, as a connection to a
     * server that vanished without closing the socket does.
     */
    private static final class HalfDeadConnections implements io.r2dbc.spi.ConnectionFactory {

        final List<Connection> created = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.Set<Connection> dead = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Set<Connection> socketClosed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Set<Connection> closed = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public org.reactivestreams.Publisher<? extends Connection> create() {
            return Mono.fromSupplier(() -> {
                Connection[] self = new Connection[1];
                self[0] = (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                            case "validate" -> Mono.just(args[0] == io.r2dbc.spi.ValidationDepth.LOCAL
                                    ? !socketClosed.contains(self[0]) : !dead.contains(self[0]));
                            case "close" -> Mono.<Void>empty().doOnSubscribe(x -> closed.add(self[0]));
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            case "toString" -> "connection#" + created.indexOf(self[0]);
                            default -> throw new UnsupportedOperationException(method.getName());
                        });
                created.add(self[0]);
                return self[0];
            });
        }

        @Override
        public io.r2dbc.spi.ConnectionFactoryMetadata getMetadata() {
            return () -> "H2";
        }
    }

    @Test
    void aConnectionIdleOver500MsIsValidatedWithARoundTripAndReplacedWhenDeadButABusyOneIsNot() {
        reactor.test.scheduler.VirtualTimeScheduler time = reactor.test.scheduler.VirtualTimeScheduler.getOrSet();
        try {
            HalfDeadConnections factory = new HalfDeadConnections();
            db = PooledDatabase.create("half_dead", factory, PoolSettings.builder().maxSize(2).initialSize(0)
                    .acquireRetry(0).build());
            Mono<Connection> borrow = db.withConnection(c -> Mono.just(LiveConnections.unwrap(c))).single();

            Connection first = borrow.block(TIMEOUT);
            factory.dead.add(first);
            time.advanceTimeBy(Duration.ofMillis(400));
            assertThat(borrow.block(TIMEOUT)).as("idle 400 ms: handed out without a round trip").isSameAs(first);

            time.advanceTimeBy(Duration.ofMillis(600));
            Connection second = borrow.block(TIMEOUT);
            assertThat(second).as("idle 600 ms: validated, found dead, replaced").isNotSameAs(first);
            assertThat(factory.closed).contains(first);
            assertThat(factory.created).hasSize(2);
            assertThat(db.circuitBreaker().metrics().lastFailure()).isNull();
            assertThat(db.poolMetrics().acquired()).isZero();
        } finally {
            reactor.test.scheduler.VirtualTimeScheduler.reset();
        }
    }

    @Test
    void oneConnectionFoundDeadMakesThePoolValidateTheOthersBeforeHandingThemOut() {
        reactor.test.scheduler.VirtualTimeScheduler.getOrSet();
        try {
            HalfDeadConnections factory = new HalfDeadConnections();
            db = PooledDatabase.create("suspect", factory, PoolSettings.builder().maxSize(2).initialSize(0)
                    .acquireRetry(0).build());
            reactor.core.publisher.Sinks.Empty<Void> gate = reactor.core.publisher.Sinks.empty();
            Mono<Void> both = Flux.range(0, 2).flatMap(i -> db.withConnection(c -> gate.asMono().thenReturn(1)), 2)
                    .then().cache();
            both.subscribe(); // two connections held at once
            gate.tryEmitEmpty();
            both.block(TIMEOUT); // both back in the pool just now
            assertThat(factory.created).hasSize(2);
            factory.dead.addAll(factory.created); // as after a restart: one shows it at once, the other only to a round trip
            factory.socketClosed.add(factory.created.get(1));

            Connection next = db.withConnection(c -> Mono.just(LiveConnections.unwrap(c))).single().block(TIMEOUT);
            assertThat(next).as("neither dead connection, though the second was idle for no time").isNotIn(factory.created.subList(0, 2));
            assertThat(factory.closed).containsAll(factory.created.subList(0, 2));
            assertThat(db.circuitBreaker().metrics().lastFailure()).isNull();
        } finally {
            reactor.test.scheduler.VirtualTimeScheduler.reset();
        }
    }
}
