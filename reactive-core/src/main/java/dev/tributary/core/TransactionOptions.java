package dev.tributary.core;

import io.r2dbc.spi.IsolationLevel;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one transaction across databases ({@link Databases#inTransaction(TransactionOptions, java.util.function.Function)})
 * commits: its {@link Mode}, the isolation level of every local transaction, and a timeout. Immutable; build with
 * {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>mode</td><td>{@link Mode#TWO_PHASE}</td><td>atomic commit with prepare and a decision log</td></tr>
 *   <tr><td>isolation</td><td>none</td><td>each database's default isolation level</td></tr>
 *   <tr><td>timeout</td><td>none</td><td>the longest the work and the prepare phase may take; exceeding it
 *       rolls every database back</td></tr>
 * </table>
 */
public final class TransactionOptions {

    /** How the databases of a transaction commit. */
    public enum Mode {
        /**
         * Two-phase commit: every database that wrote prepares, the decision is logged, then each commits. All
         * or nothing, even across a crash of the application (recovery finishes what was decided).
         */
        TWO_PHASE,
        /**
         * A saga: the databases commit one after another, without prepare. When a later commit fails, the
         * compensations registered by the steps that committed run, in reverse order
         * ({@link Session#compensateWith(String, Object...)}). Not isolated: a reader can see a step that is
         * compensated later.
         */
        BEST_EFFORT
    }

    private static final TransactionOptions DEFAULTS = builder().build();

    private final Mode mode;
    private final @Nullable IsolationLevel isolation;
    private final @Nullable Duration timeout;

    private TransactionOptions(Builder b) {
        this.mode = b.mode;
        this.isolation = b.isolation;
        this.timeout = b.timeout;
    }

    /** Two-phase commit, default isolation, no timeout. */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The commit mode. */
    public Mode mode() {
        return mode;
    }

    /** The isolation level of each local transaction, or null for each database's default. */
    public @Nullable IsolationLevel isolation() {
        return isolation;
    }

    /** The longest the work and the prepare phase may take, or null for no limit. */
    public @Nullable Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "TransactionOptions[mode=" + mode + ", isolation=" + (isolation == null ? "default" : isolation.asSql())
                + ", timeout=" + timeout + "]";
    }

    /** A validating builder: each setter checks its argument. */
    public static final class Builder {

        private Mode mode = Mode.TWO_PHASE;
        private @Nullable IsolationLevel isolation;
        private @Nullable Duration timeout;

        private Builder() {
        }

        /** The commit mode (default {@link Mode#TWO_PHASE}). */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The isolation level of every local transaction; null for each database's default. */
        public Builder isolation(@Nullable IsolationLevel isolation) {
            this.isolation = isolation;
            return this;
        }

        /**
         * The longest the work and the prepare phase may take; null for none.
         *
         * @throws IllegalArgumentException if it is zero or negative
         */
        public Builder timeout(@Nullable Duration timeout) {
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The options. */
        public TransactionOptions build() {
            return new TransactionOptions(this);
        }
    }
}
