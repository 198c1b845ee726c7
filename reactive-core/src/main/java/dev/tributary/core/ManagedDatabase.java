package dev.tributary.core;

import reactor.core.publisher.Mono;

/** A {@link Database} the registry owns and disposes of. */
interface ManagedDatabase extends Database {

    /** Disposes of the pools; calls made afterwards fail. */
    Mono<Void> close();

    /** The pool that takes writes and transactions: this database, or the primary of a replicated one. */
    PooledDatabase writer();
}
