package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Databases;
import dev.tributary.core.QueryEvent;
import dev.tributary.core.TributaryListener;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

/** TributaryListener beans and the application's ObservationRegistry reach the registry. */
class ObservationsAndListenersTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class))
            .withPropertyValues("tributary.databases.obs_s.url=r2dbc:h2:mem:///obs_s?options=DB_CLOSE_DELAY=-1");

    /** Remembers the SQL of each call. */
    static final class Sql implements TributaryListener {

        final List<String> started = new CopyOnWriteArrayList<>();

        @Override
        public void queryStarted(QueryEvent query) {
            started.add(query.sql());
        }
    }

    @Test
    void obs_everyListenerBeanHearsTheCalls() {
        Sql first = new Sql();
        Sql second = new Sql();
        runner.withBean("first", Sql.class, () -> first).withBean("second", Sql.class, () -> second).run(context -> {
            StepVerifier.create(context.getBean(Databases.class).get("obs_s").query("SELECT 1"))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(first.started).containsExactly("SELECT 1");
            assertThat(second.started).containsExactly("SELECT 1");
        });
    }

    @Test
    void obs_theApplicationsObservationRegistryObservesTheCalls() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            StepVerifier.create(context.getBean(Databases.class).get("obs_s").query("SELECT 1"))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(TIMEOUT);
            TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat()
                    .hasNameEqualTo("tributary.sql")
                    .hasLowCardinalityKeyValue("database", "obs_s")
                    .hasLowCardinalityKeyValue("kind", "query")
                    .hasHighCardinalityKeyValue("sql", "SELECT 1");
        });
    }

    @Test
    void obs_withoutMicrometerObservationOnTheClasspathTheObservationsBackOff() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.observation")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Databases.class).doesNotHaveBean("tributaryObservations");
            StepVerifier.create(context.getBean(Databases.class).get("obs_s").query("SELECT 1"))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(TIMEOUT);
        });
    }
}
