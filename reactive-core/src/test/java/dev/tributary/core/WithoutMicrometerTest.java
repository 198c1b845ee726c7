package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Micrometer (and with it Observation) is optional: in a class loader that cannot see it, a registry with a listener
 * builds, queries and reports, and its public types can be reflected on (as frameworks do).
 */
class WithoutMicrometerTest {

    @Test
    void aRegistryWithAListenerWorksWithoutMicrometerOnTheClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("micrometer")) {
                urls.add(java.nio.file.Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("io.micrometer.observation.ObservationRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            @SuppressWarnings("unchecked")
            Supplier<String> run = (Supplier<String>) isolated.loadClass(Scenario.class.getName())
                    .getDeclaredConstructor().newInstance();
            assertThat(run.get()).isEqualTo("rows=1 events=[started QUERY, finished QUERY]");
        }
    }

    /** Runs inside the isolated class loader. */
    public static final class Scenario implements Supplier<String> {
        @Override
        public String get() {
            Databases.Builder.class.getMethods(); // resolves every public signature of the builder
            Databases.class.getMethods();
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            Databases databases = Databases.builder()
                    .database("obs_nm", "r2dbc:h2:mem:///obs_nm")
                    .listener(new TributaryListener() {
                        @Override
                        public void queryStarted(QueryEvent query) {
                            events.add("started " + query.kind());
                        }

                        @Override
                        public void queryFinished(QueryEvent query, Duration duration, long rows) {
                            events.add("finished " + query.kind());
                        }
                    })
                    .build();
            try {
                List<Row> rows = databases.get("obs_nm").query("SELECT 1").collectList().block(Duration.ofSeconds(30));
                return "rows=" + rows.size() + " events=" + events;
            } finally {
                databases.close().block(Duration.ofSeconds(30));
            }
        }
    }
}
