package dev.tributary.core;

import io.r2dbc.spi.IsolationLevel;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One named database of a {@link Databases} registry, with its own connection pool. Each query borrows a
 * connection for as long as its publisher runs and returns it on completion, error or cancellation.
 */
public interface Database extends SqlOperations {

    /** The name this database was registered under. */
    String name();

    /**
     * Runs {@code work} in a transaction on one connection. The transaction commits when the publisher
     * {@code work} returns completes, and rolls back when it signals an error or the subscriber cancels;
     * the connection then goes back to the pool.
     *
     * @return what {@code work} emits; a commit failure is signalled after the last item
     */
    <T> Flux<T> inTransaction(Function<Session, ? extends Publisher<T>> work);

    /** As {@link #inTransaction(Function)}, with the given isolation level. */
    <T> Flux<T> inTransaction(IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work);

    /** A snapshot of this database's pool. */
    PoolMetrics poolMetrics();

    /**
     * Opens the pool's initial connections.
     *
     * @return the number of connections opened
     */
    Mono<Integer> warmup();
}
