package dev.tributary.core;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The points of the commit protocol where tests inject faults (an error, or a publisher that never completes, to
 * be killed there). Production registries use {@link #NONE}. Set with {@code Databases.Builder.transactionHooks}.
 */
interface TransactionHooks {

    /** Where the protocol is. */
    enum Step {
        /** Work completed, two or more writers, nothing prepared yet. */
        BEFORE_PREPARE,
        /** Before one participant's prepare (the database is given). */
        PREPARE,
        /** Every participant prepared, the decision not written yet. */
        BEFORE_DECISION,
        /** The COMMIT decision is durable, no participant committed yet. */
        AFTER_DECISION,
        /** Before one participant's commit of its prepared branch. */
        COMMIT,
        /** Before the background retry commits a branch whose commit failed. */
        FINISH,
        /** Before recovery resolves one branch or saga step. */
        RECOVERY,
        /** Before one step of a best-effort transaction commits. */
        SAGA_COMMIT
    }

    TransactionHooks NONE = (step, transactionId, database) -> Mono.empty();

    /** Called at {@code step}; an error there is a fault at that point. */
    Mono<Void> at(Step step, String transactionId, @Nullable String database);
}
