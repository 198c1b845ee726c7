package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** Micrometer observations of calls: names, key values, errors, and parents taken from the Reactor context. */
class ObservationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Validates the observations' lifecycle (started once, stopped once). */
    final TestObservationRegistry registry = TestObservationRegistry.create();
    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    Databases databases;

    ObservationTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @AfterEach
    void close() {
        StepVerifier.create(databases.close()).expectComplete().verify(TIMEOUT);
    }

    private Database h2(String name) {
        databases = Databases.builder().database(name, "r2dbc:h2:mem:///" + name + "?options=DB_CLOSE_DELAY=-1")
                .observations(TributaryObservations.of(registry))
                .build();
        return databases.get(name);
    }

    @Test
    void eachCallIsOneObservationTaggedWithDatabaseAndKindWithTheSqlAsAHighCardinalityValue() {
        Database db = h2("obs_o_calls");
        StepVerifier.create(db.update("CREATE TABLE obs_o_t (id INT)")
                        .then(db.batch("INSERT INTO obs_o_t VALUES ($1)", List.of(new Object[] {1}, new Object[] {2})))
                        .thenMany(db.query("SELECT id FROM obs_o_t")))
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("tributary.sql", 3)
                .hasObservationWithNameEqualTo("tributary.sql").that()
                .hasLowCardinalityKeyValue("database", "obs_o_calls")
                .hasBeenStarted().hasBeenStopped();
        assertThat(stopped).extracting(c -> c.getLowCardinalityKeyValue("kind").getValue())
                .containsExactly("update", "batch", "query");
        assertThat(stopped).extracting(c -> c.getHighCardinalityKeyValue("sql").getValue())
                .containsExactly("CREATE TABLE obs_o_t (id INT)", "INSERT INTO obs_o_t VALUES ($1)",
                        "SELECT id FROM obs_o_t");
        assertThat(stopped).extracting(Observation.Context::getContextualName)
                .containsExactly("tributary update obs_o_calls", "tributary batch obs_o_calls",
                        "tributary query obs_o_calls");
    }

    @Test
    void aFailedCallsObservationCarriesItsError() {
        Database db = h2("obs_o_fail");
        StepVerifier.create(db.query("SELECT * FROM obs_o_missing"))
                .expectError(io.r2dbc.spi.R2dbcBadGrammarException.class)
                .verify(TIMEOUT);
        assertThat(stopped).singleElement()
                .satisfies(c -> assertThat(c.getError()).isInstanceOf(io.r2dbc.spi.R2dbcBadGrammarException.class));
    }

    @Test
    void theObservationInTheReactorContextIsTheParent() {
        Database db = h2("obs_o_parent");
        Observation request = Observation.start("http.server.requests", registry);
        StepVerifier.create(db.query("SELECT 1").then()
                        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request)))
                .expectComplete()
                .verify(TIMEOUT);
        request.stop();
        assertThat(stopped).filteredOn(c -> c.getName().equals("tributary.sql")).singleElement()
                .satisfies(c -> assertThat(c.getParentObservation()).isSameAs(request));
    }

    @Test
    void aTransactionIsOneObservationOfKindTransaction() {
        Database db = h2("obs_o_tx");
        StepVerifier.create(db.inTransaction(session -> session.update("CREATE TABLE obs_o_tx_t (id INT)"))
                        .then(Mono.just(1)))
                .expectNext(1)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(stopped).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("tributary.transaction");
            assertThat(c.getLowCardinalityKeyValue("kind").getValue()).isEqualTo("transaction");
            assertThat(c.getLowCardinalityKeyValue("database").getValue()).isEqualTo("obs_o_tx");
        });
    }

    @Test
    void aCancelledCallsObservationIsStopped() {
        Database db = h2("obs_o_cancel");
        StepVerifier.create(db.query("SELECT X FROM SYSTEM_RANGE(1, 1000)").take(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(TIMEOUT);
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasBeenStopped();
    }
}
