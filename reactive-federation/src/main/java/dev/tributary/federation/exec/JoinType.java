package dev.tributary.federation.exec;

/**
 * Internal: the kind of a {@link HashJoin}, relative to the SQL left and right inputs. For {@link #SEMI},
 * {@link #ANTI} and {@link #NOT_IN} the left input is the outer query and the right input the subquery, and
 * only left rows are emitted.
 */
public enum JoinType {
    /** Matching pairs only. */
    INNER,
    /** Matching pairs, plus each unmatched left row padded with NULLs. */
    LEFT,
    /** Matching pairs, plus each unmatched right row padded with NULLs. */
    RIGHT,
    /** Matching pairs, plus unmatched rows of either side padded with NULLs. */
    FULL,
    /** Each left row that has at least one match ({@code IN (subquery)}, {@code EXISTS}), once. */
    SEMI,
    /** Each left row that has no match ({@code NOT EXISTS}). */
    ANTI,
    /**
     * {@code x NOT IN (subquery)} with SQL's NULL rules: no row at all if the subquery yields a NULL key; a left
     * row with a NULL key is dropped unless the subquery is empty; otherwise as {@link #ANTI}. A key with several
     * columns counts as NULL when any of its columns is. With a residual condition a pair matches when its keys
     * are equal and the condition is TRUE; the NULL rules look at the keys only.
     */
    NOT_IN;

    /** Whether only left rows are emitted. */
    public boolean leftOnly() {
        return this == SEMI || this == ANTI || this == NOT_IN;
    }
}
