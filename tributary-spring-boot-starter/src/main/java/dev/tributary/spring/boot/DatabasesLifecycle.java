package dev.tributary.spring.boot;

import dev.tributary.core.Databases;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;

/**
 * Closes every {@link Databases} registry of the context when it stops: pools are disposed once the web server has
 * drained its requests (this phase stops after the web server's graceful shutdown). Stopping never blocks:
 * {@link #stop(Runnable)} subscribes to {@link Databases#close()} and calls Spring back when every pool is disposed.
 *
 * <p>Closing is for good: a registry does not reopen. So this component is not pauseable (Spring's test context
 * cache pauses idle contexts with a stop and resumes them with a start), and an explicit {@code context.stop()}
 * ends the databases' life like {@code close()} does.
 */
final class DatabasesLifecycle implements SmartLifecycle {

    /** Below the web server's phases ({@code DEFAULT_PHASE - 1024} and {@code - 2048}): stops after them. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log log = LogFactory.getLog(DatabasesLifecycle.class);

    private final List<Databases> registries;
    private volatile boolean running;

    DatabasesLifecycle(List<Databases> registries) {
        this.registries = registries;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        Flux.fromIterable(registries)
                .flatMap(Databases::close)
                .doFinally(signal -> {
                    log.info("Tributary databases closed: every pool disposed");
                    callback.run();
                })
                .subscribe(null, e -> log.warn("Closing the Tributary databases failed", e));
    }

    /** A paused context keeps its databases open: closing them could not be undone on resume. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
