package dev.tributary.spring.boot;

import dev.tributary.core.Databases;
import dev.tributary.core.health.TributaryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;

/**
 * Binds Tributary's meters to every {@link MeterRegistry} Spring Boot configures ({@link TributaryMetrics#bindTo}):
 * {@code r2dbc.pool.*} gauges per database (tag {@code name}), {@code tributary.circuitbreaker.*} and the
 * {@code tributary.query} timer. Unbinds (stops following breaker events) when the context closes.
 */
final class TributaryMeterBinder implements MeterBinder, DisposableBean {

    private final Databases databases;
    private final List<Disposable> bindings = new CopyOnWriteArrayList<>();

    TributaryMeterBinder(Databases databases) {
        this.databases = databases;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bindings.add(TributaryMetrics.bindTo(registry, databases));
    }

    @Override
    public void destroy() {
        bindings.forEach(Disposable::dispose);
    }
}
