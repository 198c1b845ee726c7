package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Databases;
import dev.tributary.core.QueryEvent;
import dev.tributary.core.QueryKind;
import dev.tributary.core.TributaryListener;
import dev.tributary.core.TributaryObservations;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** A federated query is one observation, its fragments children of it, each tagged with its database and kind. */
class FederationObservationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final TestObservationRegistry registry = TestObservationRegistry.create();
    /** Micrometer Tracing's test tracer: each observation becomes a span. */
    final SimpleTracer tracer = new SimpleTracer();
    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    final List<QueryEvent> started = new CopyOnWriteArrayList<>();
    Databases databases;
    Federation federation;

    @BeforeEach
    void setUp() {
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
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        databases = Databases.builder()
                .database("obs_f_customers", "r2dbc:h2:mem:///obs_f_customers")
                .database("obs_f_orders", "r2dbc:h2:mem:///obs_f_orders")
                .observations(TributaryObservations.of(registry))
                .listener(new TributaryListener() {
                    @Override
                    public void queryStarted(QueryEvent query) {
                        started.add(query);
                    }
                })
                .build();
        StepVerifier.create(databases.get("obs_f_customers").update("CREATE TABLE obs_f_c (id INT, name VARCHAR(20))")
                        .then(databases.get("obs_f_customers").update("INSERT INTO obs_f_c VALUES (1, 'Ada'), (2, 'Bo')"))
                        .then(databases.get("obs_f_orders").update("CREATE TABLE obs_f_o (id INT, customer_id INT)"))
                        .then(databases.get("obs_f_orders").update("INSERT INTO obs_f_o VALUES (10, 1), (11, 2)")))
                .expectNextCount(1)
                .expectComplete()
                .verify(TIMEOUT);
        federation = Federation.over(databases);
        StepVerifier.create(federation.refreshCatalog()).expectComplete().verify(TIMEOUT);
        stopped.clear();
        started.clear();
        tracer.getSpans().clear();
    }

    @AfterEach
    void close() {
        StepVerifier.create(databases.close()).expectComplete().verify(TIMEOUT);
    }

    @Test
    void theFragmentsOfAFederatedJoinAreChildrenOfItsObservationUnderTheCallersObservation() {
        Observation request = Observation.start("http.server.requests", registry);
        String sql = "SELECT c.name, o.id FROM obs_f_c c JOIN obs_f_o o ON o.customer_id = c.id";
        StepVerifier.create(federation.query(sql)
                        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request)))
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);
        request.stop();

        Observation.Context query = stopped.stream()
                .filter(c -> "federation".equals(c.getLowCardinalityKeyValue("database").getValue()))
                .findFirst().orElseThrow();
        assertThat(query.getName()).isEqualTo("tributary.sql");
        assertThat(query.getLowCardinalityKeyValue("kind").getValue()).isEqualTo("query");
        assertThat(query.getHighCardinalityKeyValue("sql").getValue()).isEqualTo(sql);
        assertThat(query.getParentObservation()).isSameAs(request);

        List<Observation.Context> fragments = stopped.stream()
                .filter(c -> c.getLowCardinalityKeyValue("kind") != null
                        && "fragment".equals(c.getLowCardinalityKeyValue("kind").getValue()))
                .toList();
        assertThat(fragments).extracting(c -> c.getLowCardinalityKeyValue("database").getValue())
                .containsExactlyInAnyOrder("obs_f_customers", "obs_f_orders");
        assertThat(fragments).allSatisfy(f -> {
            assertThat(f.getName()).isEqualTo("tributary.sql");
            assertThat(f.getParentObservation().getContextView()).isSameAs(query);
            assertThat(f.getHighCardinalityKeyValue("sql").getValue()).containsIgnoringCase("obs_f_");
        });
        assertThat(stopped).hasSize(4); // request, query, two fragments: the fragments are not observed twice

        assertThat(started).extracting(QueryEvent::kind)
                .containsExactlyInAnyOrder(QueryKind.QUERY, QueryKind.FRAGMENT, QueryKind.FRAGMENT);
    }

    @Test
    void aTracerShowsTheFragmentSpansUnderTheFederatedQuerysSpanInOneTrace() {
        StepVerifier.create(federation.query("SELECT c.name, o.id FROM obs_f_c c JOIN obs_f_o o ON o.customer_id = c.id"))
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);
        SimpleSpan query = tracer.getSpans().stream().filter(s -> s.getName().equals("tributary query federation"))
                .findFirst().orElseThrow();
        List<SimpleSpan> fragments = tracer.getSpans().stream()
                .filter(s -> s.getName().startsWith("tributary fragment ")).toList();
        assertThat(fragments).extracting(SimpleSpan::getName)
                .containsExactlyInAnyOrder("tributary fragment obs_f_customers", "tributary fragment obs_f_orders");
        assertThat(fragments).allSatisfy(f -> {
            assertThat(f.getParentId()).isEqualTo(query.context().spanId());
            assertThat(f.context().traceId()).isEqualTo(query.context().traceId());
            assertThat(f.getTags()).containsEntry("kind", "fragment").containsKey("sql");
        });
        assertThat(query.getTags()).containsEntry("database", "federation").containsEntry("kind", "query");
    }
}
