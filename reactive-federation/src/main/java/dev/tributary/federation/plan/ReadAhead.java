package dev.tributary.federation.plan;

import dev.tributary.core.Row;
import dev.tributary.federation.exec.MemoryBudget;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A fragment read with unbounded demand, its rows held ahead of a slower consumer counted against the query's
 * {@link MemoryBudget}: each row is reserved when it arrives and released when it is handed on (the operator that
 * keeps it reserves it again); whatever is still held is released when the read ends, fails or is cancelled. Past
 * the budget the read fails with {@link dev.tributary.federation.MemoryBudgetExceededException} naming it.
 *
 * <p>Used for MariaDB fragments that the engine combines with others: r2dbc-mariadb (1.4.0 to 1.4.2) can lose a
 * request made from a thread other than the connection's event loop and then never deliver the rows it holds
 * (reactive-federation/SQL.md, "MariaDB fragments"; {@code MariaDbDriverStallReproduction}). Requested
 * without bound, it never waits for a request.
 */
final class ReadAhead {

    /** Bytes counted per held row on top of the row: its queue slot and node. */
    static final int ENTRY_OVERHEAD = 24;

    private ReadAhead() {
    }

    static Flux<Row> of(Flux<Row> rows, MemoryBudget budget, String operator) {
        return Flux.defer(() -> {
            AtomicLong held = new AtomicLong();
            return rows
                    .doOnNext(row -> {
                        long bytes = bytes(row);
                        budget.reserve(bytes, operator);
                        held.addAndGet(bytes);
                    })
                    .publishOn(Schedulers.immediate(), false, Integer.MAX_VALUE) // unbounded; an error overtakes the rows
                    .doOnNext(row -> {
                        long bytes = bytes(row);
                        held.addAndGet(-bytes);
                        budget.release(bytes);
                    })
                    .doFinally(signal -> budget.release(held.getAndSet(0)));
        });
    }

    private static long bytes(Row row) {
        return MemoryBudget.estimate(row) + ENTRY_OVERHEAD;
    }
}
