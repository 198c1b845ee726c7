package dev.tributary.core;

import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The SQL calls available inside {@link Database#inTransaction}: every call runs on the transaction's one
 * connection. A session is valid only while the transaction's publisher is active.
 */
public interface Session extends SqlOperations {

    /**
     * Registers, when subscribed, the compensation of this step of a {@link TransactionOptions.Mode#BEST_EFFORT}
     * transaction across databases: SQL (with positional binds) that undoes what the step wrote, run on this
     * database in a local transaction of its own if a later step fails to commit after this one committed.
     * Compensations are written to the decision log before the first commit, so {@link Databases#recover()} runs them
     * after a crash; binds may be null, {@code String}, {@code Integer}, {@code Long}, {@code Short},
     * {@code BigDecimal}, {@code Double}, {@code Boolean}, {@code LocalDate}, {@code LocalDateTime} or {@code UUID}.
     * Write compensations that are correct whatever else happened in between (add back an amount rather than set a
     * value). In a two-phase transaction compensations are accepted and never run.
     *
     * @return completes once registered; signals {@link UnsupportedOperationException} outside a transaction across
     *     databases, {@link IllegalArgumentException} for a bind of another type
     */
    default Mono<Void> compensateWith(String sql, Object... binds) {
        return Mono.error(new UnsupportedOperationException("Compensations belong to a transaction across databases:"
                + " use Databases.inTransaction(TransactionOptions with mode BEST_EFFORT, work)"));
    }

    /**
     * As {@link #compensateWith(String, Object...)}, with the compensation given as work on a {@link Session} of this
     * database (run in its own local transaction). It lives in this process only: after a crash,
     * {@link Databases#recover()} cannot run it; prefer the SQL form where recovery matters.
     */
    default Mono<Void> compensateWith(Function<Session, ? extends Publisher<?>> compensation) {
        return Mono.error(new UnsupportedOperationException("Compensations belong to a transaction across databases:"
                + " use Databases.inTransaction(TransactionOptions with mode BEST_EFFORT, work)"));
    }
}
