package dev.tributary.samples.web;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code tributary.samples.log-observations=true}, logs every Tributary observation when it stops: a federated
 * query, each of its fragments (under it), each query, update and transaction, with its database, SQL, duration and
 * parent. Spring Boot registers the handler in the application's {@code ObservationRegistry}; a tracing bridge
 * (micrometer-tracing with an exporter) would turn the same observations into spans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("tributary.samples.log-observations")
class ObservationLogging {

    @Bean
    ObservationHandler<Observation.Context> tributaryObservationLogger() {
        return new Handler();
    }

    /** Logs {@code tributary.*} observations at INFO. */
    static final class Handler implements ObservationHandler<Observation.Context> {

        private static final Logger log = LoggerFactory.getLogger("dev.tributary.samples.observations");
        private static final String STARTED = Handler.class.getName() + ".started";

        @Override
        public void onStart(Observation.Context context) {
            context.put(STARTED, System.nanoTime());
        }

        @Override
        public void onStop(Observation.Context context) {
            long started = context.getOrDefault(STARTED, System.nanoTime());
            ObservationView parent = context.getParentObservation();
            log.info("{} [{}] {} ms{}{} sql: {}", context.getName(), context.getContextualName(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    parent == null ? "" : " under [" + name(parent) + "]",
                    context.getError() == null ? "" : " failed: " + context.getError(),
                    context.getHighCardinalityKeyValue("sql") == null ? "-"
                            : context.getHighCardinalityKeyValue("sql").getValue());
        }

        private static String name(ObservationView observation) {
            String contextual = observation.getContextView().getContextualName();
            return contextual != null ? contextual : observation.getContextView().getName();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context.getName() != null && context.getName().startsWith("tributary.");
        }
    }
}
