package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class DatabasesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static String h2(String name) {
        return "r2dbc:h2:mem:///core_registry_" + name + "?options=DB_CLOSE_DELAY=-1";
    }

    @Test
    void databasesAreFoundByNameAndByAlias() {
        Databases dbs = Databases.builder()
                .database("customers", h2("a"))
                .database("orders", h2("b"))
                .alias("sales", "orders")
                .alias("billing", "orders")
                .defaultDatabase("sales")
                .build();
        try {
            assertThat(dbs.names()).containsExactly("customers", "orders");
            assertThat(dbs.aliases()).containsExactly(java.util.Map.entry("sales", "orders"), java.util.Map.entry("billing", "orders"));
            assertThat(dbs.get("sales")).isSameAs(dbs.get("orders"));
            assertThat(dbs.get("customers").name()).isEqualTo("customers");
            assertThat(dbs.defaultDatabase()).isSameAs(dbs.get("orders"));
            assertThat(dbs.get("orders").dialect()).isEqualTo(Dialect.H2);
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }

    /** The errors Reactor dropped (as reactor-pool's "Too many permits returned") while {@code body} ran. */
    private static java.util.List<Throwable> droppedDuring(Runnable body) {
        java.util.List<Throwable> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.publisher.Hooks.onErrorDropped(dropped::add);
        try {
            body.run();
        } finally {
            reactor.core.publisher.Hooks.resetOnErrorDropped();
        }
        return dropped;
    }

    @Test
    void closingWhileAQueryHoldsAConnectionReturnsItWithoutAPoolError() {
        assertThat(droppedDuring(() -> {
            for (int i = 0; i < 20; i++) {
                Databases dbs = Databases.builder().database("orders", h2("close_" + i)).build();
                Database db = dbs.get("orders");
                db.update("CREATE TABLE IF NOT EXISTS t (id INT)").block(TIMEOUT);
                db.update("INSERT INTO t VALUES (1), (2), (3)").block(TIMEOUT);
                reactor.test.StepVerifier.create(db.query("SELECT id FROM t"), 1)
                        .expectNextCount(1)
                        .then(() -> dbs.close().subscribe())
                        .thenCancel()
                        .verify(TIMEOUT);
                dbs.close().block(TIMEOUT);
                db.update("INSERT INTO t VALUES (4)").as(StepVerifier::create)
                        .expectError(RegistryClosedException.class).verify(TIMEOUT);
            }
        })).as("errors reactor dropped while the pools were disposed").isEmpty();
    }

    @Test
    void closingAsTheLastQueryReturnsItsConnectionLeavesNoPoolError() {
        assertThat(droppedDuring(() -> {
            for (int i = 0; i < 5; i++) {
                String url = h2("close_last_" + i);
                Mono.usingWhen(Mono.fromSupplier(() -> Databases.builder().database("orders", url).build()),
                        dbs -> dbs.get("orders").query("SELECT 1").then(dbs.health()).then(),
                        Databases::close)
                        .as(StepVerifier::create).verifyComplete();
            }
        })).as("errors reactor dropped while the pools were disposed").isEmpty();
    }

    @Test
    void unknownNameListsTheKnownNamesAndAliases() {
        Databases dbs = Databases.builder().database("orders", h2("c")).alias("sales", "orders").build();
        try {
            assertThatThrownBy(() -> dbs.get("ordres"))
                    .isInstanceOf(UnknownDatabaseException.class)
                    .hasMessageContaining("'ordres'")
                    .hasMessageContaining("[orders, sales]")
                    .satisfies(e -> assertThat(((UnknownDatabaseException) e).known()).containsExactly("orders", "sales"));
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }

    @Test
    void theOnlyDatabaseIsTheDefaultAndSeveralWithoutOneAreAnError() {
        Databases one = Databases.builder().database("only", h2("d")).build();
        Databases two = Databases.builder().database("x", h2("e")).database("y", h2("f")).build();
        try {
            assertThat(one.defaultDatabase().name()).isEqualTo("only");
            assertThatThrownBy(two::defaultDatabase)
                    .isInstanceOf(DatabaseConfigurationException.class)
                    .hasMessageContaining("[x, y]")
                    .hasMessageContaining("defaultDatabase");
        } finally {
            one.close().then(two.close()).block(TIMEOUT);
        }
    }

    @Test
    void emptyRegistryIsRejectedAtBuild() {
        assertThatThrownBy(() -> Databases.builder().build())
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("No database registered");
    }

    @Test
    void duplicateNameIsRejectedAtBuild() {
        Databases.Builder builder = Databases.builder().database("orders", h2("g")).database("orders", h2("h"));
        assertThatThrownBy(builder::build)
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("[orders]")
                .hasMessageContaining("twice");
    }

    @Test
    void aliasToAMissingDatabaseIsRejectedAtBuild() {
        Databases.Builder builder = Databases.builder().database("orders", h2("i")).alias("sales", "ordrs");
        assertThatThrownBy(builder::build)
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'sales'")
                .hasMessageContaining("'ordrs'")
                .hasMessageContaining("[orders]");
    }

    @Test
    void aliasShadowingADatabaseNameIsRejectedAtBuild() {
        Databases.Builder builder = Databases.builder().database("a", h2("j")).database("b", h2("k")).alias("a", "b");
        assertThatThrownBy(builder::build).isInstanceOf(DatabaseConfigurationException.class).hasMessageContaining("'a'");
    }

    @Test
    void missingDefaultIsRejectedAtBuild() {
        Databases.Builder builder = Databases.builder().database("orders", h2("l")).defaultDatabase("nope");
        assertThatThrownBy(builder::build)
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void malformedUrlNamesTheDatabaseAndMasksThePassword() {
        Databases.Builder builder = Databases.builder().database("orders", "postgresql://app:s3cret@db:5432/orders");
        assertThatThrownBy(builder::build)
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'orders'")
                .hasMessageContaining("postgresql://app:****@db:5432/orders")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void urlWithoutADriverListsTheDriversFound() {
        Databases.Builder builder = Databases.builder().database("legacy", "r2dbc:oracle://scott:tiger@db:1521/orcl");
        assertThatThrownBy(builder::build)
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'legacy'")
                .hasMessageContaining("'oracle'")
                .hasMessageContaining("r2dbc:oracle://scott:****@db:1521/orcl")
                .hasMessageContaining("postgresql")
                .hasMessageContaining("h2")
                .hasMessageContaining("mariadb")
                .hasMessageNotContaining("tiger");
    }

    @Test
    void passwordsAreMaskedInUserInfoAndOptions() {
        assertThat(ConnectionFactoryResolver.mask("r2dbc:postgresql://u:p%40ss@h:1/d?password=x&ssl=true"))
                .isEqualTo("r2dbc:postgresql://u:****@h:1/d?password=****&ssl=true");
        assertThat(ConnectionFactoryResolver.mask("r2dbc:postgresql://u@h:5432/d")).isEqualTo("r2dbc:postgresql://u@h:5432/d");
    }

    @Test
    void buildingOpensNoConnection() {
        Databases dbs = Databases.builder().database("pg", "r2dbc:postgresql://nobody@127.0.0.1:1/none").build();
        try {
            assertThat(dbs.get("pg").dialect()).isEqualTo(Dialect.POSTGRESQL);
            assertThat(dbs.get("pg").poolMetrics().allocated()).isZero();
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }

    @Test
    void aConnectionPoolIsUsedAsItIs() {
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
                .builder(ConnectionFactories.get(h2("m"))).maxSize(3).build());
        Databases dbs = Databases.builder().database("given", pool).build();
        StepVerifier.create(dbs.get("given").query("SELECT 1", Integer.class)).expectNext(1).expectComplete().verify(TIMEOUT);
        assertThat(dbs.get("given").poolMetrics().maxAllocated()).isEqualTo(3);
        dbs.close().block(TIMEOUT);
        assertThat(pool.isDisposed()).isTrue();
    }

    @Test
    void warmupOpensTheInitialConnectionsOfEveryPool() {
        Databases dbs = Databases.builder()
                .database("a", h2("n"), PoolSettings.builder().initialSize(2).build())
                .database("b", ConnectionFactories.get(h2("o")), PoolSettings.builder().initialSize(3).build())
                .build();
        StepVerifier.create(dbs.warmup()).expectNext(5).expectComplete().verify(TIMEOUT);
        assertThat(dbs.get("b").poolMetrics().idle()).isEqualTo(3);
        dbs.close().block(TIMEOUT);
    }

    @Test
    void closeIsIdempotentAndAClosedRegistryRejectsCalls() {
        Databases dbs = Databases.builder().database("a", h2("p")).build();
        Database a = dbs.get("a");
        StepVerifier.create(a.query("SELECT 1")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        Mono<Void> close = dbs.close();
        assertThat(dbs.isClosed()).as("close() is lazy").isFalse();
        StepVerifier.create(close).expectComplete().verify(TIMEOUT);
        StepVerifier.create(dbs.close()).expectComplete().verify(TIMEOUT);
        assertThat(dbs.isClosed()).isTrue();
        assertThatThrownBy(() -> dbs.get("a")).isInstanceOf(RegistryClosedException.class).hasMessageContaining("closed");
        assertThatThrownBy(dbs::names).isInstanceOf(RegistryClosedException.class);
        StepVerifier.create(dbs.warmup()).expectError(RegistryClosedException.class).verify(TIMEOUT);
        StepVerifier.create(a.query("SELECT 1")).expectError(RegistryClosedException.class).verify(TIMEOUT);
        StepVerifier.create(a.inTransaction(s -> s.query("SELECT 1"))).expectError(RegistryClosedException.class).verify(TIMEOUT);
    }

    @Test
    void postAllocateRunsOncePerConnectionAndPreReleaseOnEveryReturn() {
        AtomicInteger allocated = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        PoolSettings settings = PoolSettings.builder()
                .maxSize(1)
                .postAllocate(c -> Mono.fromRunnable(allocated::incrementAndGet))
                .preRelease(c -> Mono.fromRunnable(released::incrementAndGet))
                .build();
        Databases dbs = Databases.builder().database("a", h2("q"), settings).build();
        Database a = dbs.get("a");
        StepVerifier.create(Flux.range(0, 3).concatMap(i -> a.query("SELECT 1", Integer.class)))
                .expectNext(1, 1, 1)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(allocated).hasValue(1);
        assertThat(released).hasValue(3);
        dbs.close().block(TIMEOUT);
    }

    @Test
    void postAllocateSqlPreparesEveryConnection() {
        PoolSettings settings = PoolSettings.builder()
                .maxSize(2)
                .postAllocateSql("CREATE TABLE IF NOT EXISTS core_registry_hook (id INT)")
                .validationQuery("SELECT 1")
                .build();
        Databases dbs = Databases.builder().database("a", h2("r"), settings).build();
        StepVerifier.create(dbs.get("a").query("SELECT COUNT(*) FROM core_registry_hook", Long.class))
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
        dbs.close().block(TIMEOUT);
    }

    @Test
    void unreachableDatabaseSignalsDatabaseUnavailableNamingItWithTheDriverErrorAsCause() {
        Databases dbs = Databases.builder()
                .database("down", "r2dbc:postgresql://nobody@127.0.0.1:1/none",
                        PoolSettings.builder().acquireRetry(0).build())
                .build();
        StepVerifier.create(dbs.get("down").query("SELECT 1"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("'down'")
                            .hasCauseInstanceOf(io.r2dbc.spi.R2dbcException.class);
                    assertThat(((DatabaseUnavailableException) e).database()).isEqualTo("down");
                })
                .verify(TIMEOUT);
        dbs.close().block(TIMEOUT);
    }

    @Test
    void namesAreRequired() {
        assertThatThrownBy(() -> Databases.builder().database(" ", h2("s"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Databases.builder().database("x", "")).isInstanceOf(DatabaseConfigurationException.class);
    }
}
