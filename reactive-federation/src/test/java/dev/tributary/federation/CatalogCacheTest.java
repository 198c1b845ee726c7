package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.resilience.ResilienceSettings;
import dev.tributary.federation.catalog.Catalog;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The per-database catalog on H2, with a hand-driven clock: a database is read only when asked for, one that fails
 * stays failed (and the catalog to plan with stays the same instance) until 2 s have passed, and is read again then.
 */
class CatalogCacheTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final SwitchableFactory flaky = new SwitchableFactory();
    private Databases databases;

    @BeforeEach
    void createDatabases() {
        String suffix = Long.toHexString(System.nanoTime());
        String upUrl = "r2dbc:h2:mem:///relfed_cc_up_" + suffix + "?options=DB_CLOSE_DELAY=-1";
        String flakyUrl = "r2dbc:h2:mem:///relfed_cc_flaky_" + suffix + "?options=DB_CLOSE_DELAY=-1";
        Databases admin = Databases.builder().database("up", upUrl).database("flaky", flakyUrl).build();
        try {
            admin.get("up").update("CREATE TABLE relfed_up (id INT)")
                    .then(admin.get("flaky").update("CREATE TABLE relfed_flaky (id INT)")).block(TIMEOUT);
            flaky.delegate = ConnectionFactories.get(flakyUrl);
            databases = Databases.builder()
                    .database("up", upUrl)
                    .database("flaky", flaky, PoolSettings.builder().initialSize(0).build(), ResilienceSettings.none())
                    .build();
        } finally {
            admin.close().block(TIMEOUT);
        }
    }

    @AfterEach
    void close() {
        databases.close().block(TIMEOUT);
    }

    @Test
    void aFailedDatabaseIsReadAgainOnlyAfterTwoSecondsWhileTheOthersServe() {
        CatalogCache cache = new CatalogCache(databases, null, nanos::get);
        assertThat(cache.status()).extracting(CatalogStatus::state)
                .containsExactly(CatalogStatus.State.NOT_LOADED, CatalogStatus.State.NOT_LOADED);
        assertThatThrownBy(() -> cache.catalog().resolve("up", "relfed_up"))
                .isInstanceOfSatisfying(Catalog.NotLoadedException.class, e -> assertThat(e.databases()).containsExactly("up"));

        cache.load(Set.of("up", "flaky")).block(TIMEOUT);
        CatalogStatus failed = cache.status().get(1);
        assertThat(failed.state()).isEqualTo(CatalogStatus.State.FAILED);
        assertThat(failed.error()).hasMessageContaining("refused");
        assertThat(failed.nextAttempt()).isNotNull();
        Catalog catalog = cache.catalog();
        assertThat(catalog.resolve("up", "relfed_up").database()).isEqualTo("up");
        assertThatThrownBy(() -> catalog.resolve("flaky", "relfed_flaky"))
                .isInstanceOfSatisfying(DatabaseUnavailableException.class, e -> assertThat(e.database()).isEqualTo("flaky"))
                .hasMessageContaining("Queries over the other databases still run");

        flaky.up = true;
        nanos.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertThat(cache.catalog()).as("within 2 s nothing is read again: the same catalog, plans stay cached")
                .isSameAs(catalog);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThatThrownBy(() -> cache.catalog().resolve("flaky", "relfed_flaky"))
                .isInstanceOfSatisfying(Catalog.NotLoadedException.class, e -> assertThat(e.databases()).containsExactly("flaky"));
        assertThat(cache.catalog().resolve("up", "relfed_up").database()).as("the others are not waited for").isEqualTo("up");
        cache.load(Set.of("flaky")).block(TIMEOUT);
        assertThat(cache.catalog().resolve("flaky", "relfed_flaky").database()).isEqualTo("flaky");
        CatalogStatus loaded = cache.status().get(1);
        assertThat(loaded.state()).isEqualTo(CatalogStatus.State.LOADED);
        assertThat(loaded.tables()).isEqualTo(1);
        assertThat(loaded.error()).isNull();
        assertThat(loaded.nextAttempt()).isNull();
    }

    @Test
    void aBareTableNameNeedsEveryDatabaseRead() {
        CatalogCache cache = new CatalogCache(databases, null, nanos::get);
        cache.load(Set.of("up")).block(TIMEOUT);
        assertThatThrownBy(() -> cache.catalog().resolve(null, "relfed_up"))
                .isInstanceOfSatisfying(Catalog.NotLoadedException.class, e -> assertThat(e.databases()).containsExactly("flaky"));
        flaky.up = true;
        cache.load(Set.of("flaky")).block(TIMEOUT);
        assertThat(cache.catalog().resolve(null, "relfed_flaky").database()).isEqualTo("flaky");
    }

    /** A connection factory that refuses connections until {@code up}; cold, as the pool subscribes to it again each time. */
    private static final class SwitchableFactory implements ConnectionFactory {
        volatile boolean up;
        volatile ConnectionFactory delegate;

        @Override
        public Publisher<? extends Connection> create() {
            return Mono.defer(() -> up ? Mono.from(delegate.create())
                    : Mono.error(new R2dbcNonTransientResourceException("connection refused (test)")));
        }

        @Override
        public ConnectionFactoryMetadata getMetadata() {
            return delegate.getMetadata();
        }
    }
}
