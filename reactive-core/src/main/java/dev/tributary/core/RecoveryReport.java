package dev.tributary.core;

import java.util.List;
import java.util.Map;

/**
 * What one run of {@link Databases#recover()} found and did. Branch ids are the ids of the prepared local
 * transactions ({@code tb.<node>.<transaction>.<n>}), transaction ids those of the global transactions.
 *
 * @param found the in-doubt branches found, as {@code database:branch}
 * @param committed the branches committed because their transaction has a COMMIT record
 * @param rolledBack the branches rolled back because their transaction has none (presumed abort)
 * @param skipped the branches left alone because the instance that owns them is alive (its lease holds) or
 *     this instance is still running their transaction
 * @param compensated the saga steps compensated, as {@code database:transaction}
 * @param unreachable the databases that could not be listed or resolved, with the error; recovery retries them
 *     on its next run
 */
public record RecoveryReport(List<String> found, List<String> committed, List<String> rolledBack, List<String> skipped,
        List<String> compensated, Map<String, String> unreachable) {

    public RecoveryReport {
        found = List.copyOf(found);
        committed = List.copyOf(committed);
        rolledBack = List.copyOf(rolledBack);
        skipped = List.copyOf(skipped);
        compensated = List.copyOf(compensated);
        unreachable = Map.copyOf(unreachable);
    }

    /** Whether every database was reached and nothing was left in doubt except branches of live instances. */
    public boolean complete() {
        return unreachable.isEmpty();
    }
}
