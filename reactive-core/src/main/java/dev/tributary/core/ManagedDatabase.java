package dev.tributary.core;

import reactor.core.publisher.Mono;

/** A {@link Database} the registry owns and disposes of. */
interface ManagedDatabase extends Database {

    /** Disposes of the pools; calls made afterwards fail. */
    Mono<Void> close();
}
