package dev.tributary.core;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@link Session} of one transaction: every call runs on the transaction's connection while it is open. */
final class TransactionSession extends ConnectionOperations implements Session {

    private final Connection connection;
    private volatile boolean active = true;

    TransactionSession(Dialect dialect, Connection connection) {
        super(dialect);
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Begins the transaction, then runs {@code work} with this session. */
    <T> Flux<T> run(@Nullable IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work) {
        Mono<Void> begin = Mono.from(isolation == null
                ? connection.beginTransaction()
                : connection.beginTransaction(isolation));
        return begin.thenMany(Flux.defer(() -> work.apply(this)));
    }

    /** Ends the session: later calls on it fail. */
    Mono<Void> end() {
        return Mono.fromRunnable(() -> active = false);
    }

    @Override
    <T> Flux<T> withConnection(Function<Connection, ? extends Publisher<T>> work) {
        return Flux.defer(() -> active
                ? work.apply(connection)
                : Flux.error(new IllegalStateException("This Session's transaction has ended; run SQL on a"
                        + " session only inside the publisher returned to inTransaction")));
    }
}
