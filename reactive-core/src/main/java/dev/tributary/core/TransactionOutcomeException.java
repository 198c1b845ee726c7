package dev.tributary.core;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signalled by a transaction across databases when it did not simply commit or simply roll back: read
 * {@link #outcome()} to know what the databases hold now.
 */
public final class TransactionOutcomeException extends TributaryException {

    private static final long serialVersionUID = 1L;

    /** What the databases hold. */
    public enum Outcome {
        /**
         * Two-phase: the commit decision is logged, but {@link #pendingDatabases()} have not confirmed their commit
         * yet. The transaction <em>is</em> committed: this instance finishes it in the background, or
         * {@link Databases#recover()} does (here or on another instance once this one's lease expires). Do not
         * retry the work.
         */
        COMMITTED_PENDING_RECOVERY,
        /**
         * Two-phase: the decision could not be written or read back (the log database failed at that moment); the
         * prepared databases ({@link #pendingDatabases()}) hold their locks until {@link Databases#recover()}
         * resolves them, by the log: commit if the decision reached it, else roll back.
         */
        IN_DOUBT,
        /**
         * Best effort: a commit failed after earlier steps had committed; the steps in {@link #compensated()} were
         * compensated (their compensations ran and committed) and the others were rolled back.
         */
        COMPENSATED,
        /**
         * Best effort: a commit failed and some compensations ({@link #pendingDatabases()}) failed too; they stay in
         * the log and {@link Databases#recover()} runs them again.
         */
        COMPENSATION_PENDING
    }

    private final Outcome outcome;
    private final String transactionId;
    private final List<String> pendingDatabases;
    private final List<String> compensated;

    public TransactionOutcomeException(Outcome outcome, String transactionId, List<String> pendingDatabases,
            List<String> compensated, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.transactionId = transactionId;
        this.pendingDatabases = List.copyOf(pendingDatabases);
        this.compensated = List.copyOf(compensated);
    }

    /** What the databases hold. */
    public Outcome outcome() {
        return outcome;
    }

    /** The global transaction id, as in the decision log and in {@link RecoveryReport}. */
    public String transactionId() {
        return transactionId;
    }

    /** The databases whose part is not finished yet (see {@link Outcome}). */
    public List<String> pendingDatabases() {
        return pendingDatabases;
    }

    /** The databases whose committed step was compensated, in the order the compensations ran. */
    public List<String> compensated() {
        return compensated;
    }
}
