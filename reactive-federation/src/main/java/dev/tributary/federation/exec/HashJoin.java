package dev.tributary.federation.exec;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Internal: the hash join of federated queries, configured by a {@link Builder}.
 *
 * <p>The build side is collected into a hash table keyed by SQL value ({@link SqlValues#keyOf}: {@code 5},
 * {@code 5L} and {@code 5.0} are one key; a key with a NULL part never matches), counting its bytes against the
 * query's {@link MemoryBudget}. The probe side streams through the table: it is requested in batches of at most
 * {@code prefetch} rows, driven by downstream demand, and a probe row with many matches is emitted across as
 * many requests as it takes. Without a dynamic filter the probe side is opened at once, and prefetches (at most
 * {@code prefetch} rows) while the build side loads; with one, it is opened when the build side is complete,
 * with that side's distinct keys when there are few enough.
 *
 * <p>The joined {@code Flux} emits combined rows (the left values, then the right values, over the
 * {@link Builder#output output} columns, or the {@link Builder#project projected} part of them), NULL-padded for the unmatched rows of an outer join; SEMI, ANTI and
 * NOT_IN joins emit left rows. Unmatched build rows of an outer join come last. It signals
 * {@link dev.tributary.federation.MemoryBudgetExceededException} when the build side does not fit the budget,
 * or the first error of either input or of the residual condition; either way, and on cancellation, both
 * inputs are cancelled and the budget is released.
 */
public final class HashJoin {

    /** The side of a join, relative to the SQL text. */
    public enum Side { LEFT, RIGHT }

    private HashJoin() {
    }

    /** A new builder: an INNER join building the right side, probe prefetch 256, no dynamic filter. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether a dynamic filter may restrict the probe side of a join of this type building this side: only when
     * unmatched probe rows are never emitted (not for the preserved side of an outer join, nor for the outer
     * query of an ANTI/NOT_IN join), and never for NOT_IN's subquery, whose NULLs matter.
     */
    public static boolean dynamicFilterApplies(JoinType type, Side buildSide) {
        boolean probeIsLeft = buildSide == Side.RIGHT;
        return !probePreserved(type, probeIsLeft) && type != JoinType.NOT_IN;
    }

    static boolean probePreserved(JoinType type, boolean probeIsLeft) {
        return switch (type) {
            case LEFT, ANTI, NOT_IN -> probeIsLeft;
            case RIGHT -> !probeIsLeft;
            case FULL -> true;
            default -> false;
        };
    }

    /** A validating builder of hash joins; not thread-safe, each {@link #build()} takes a snapshot. */
    public static final class Builder {

        private JoinType type = JoinType.INNER;
        private String name = "join";
        private @Nullable ProbeSource left;
        private int[] leftKeys = new int[0];
        private int leftWidth = -1;
        private @Nullable ProbeSource right;
        private int[] rightKeys = new int[0];
        private int rightWidth = -1;
        private Side buildSide = Side.RIGHT;
        private int dynamicFilter;
        private @Nullable RowPredicate residual;
        private @Nullable Columns output;
        private int @Nullable [] project;
        private @Nullable Columns projected;
        private MemoryBudget budget = MemoryBudget.unlimited();
        private int prefetch = 256;

        private Builder() {
        }

        /** The join type (default INNER). */
        public Builder type(JoinType type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /** The name used in errors and {@code explain}, e.g. {@code "join#1 customers x orders"}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * The left input: its source, the positions of its key columns (in the order they pair with the right
         * keys) and its number of columns.
         */
        public Builder left(ProbeSource source, int[] keyIndexes, int width) {
            this.left = Objects.requireNonNull(source, "left source");
            this.leftKeys = checkKeys(keyIndexes, width, "left");
            this.leftWidth = width;
            return this;
        }

        /** The right input; see {@link #left}. */
        public Builder right(ProbeSource source, int[] keyIndexes, int width) {
            this.right = Objects.requireNonNull(source, "right source");
            this.rightKeys = checkKeys(keyIndexes, width, "right");
            this.rightWidth = width;
            return this;
        }

        /** Which side is collected into the hash table (default RIGHT); outer-join semantics hold either way. */
        public Builder buildSide(Side side) {
            this.buildSide = Objects.requireNonNull(side, "buildSide");
            return this;
        }

        /**
         * {@code 0} (default) turns the dynamic filter off. A positive {@code maxKeys} waits for the build side,
         * then opens the probe side with the build side's distinct first-key values when there are at most
         * {@code maxKeys} of them, else with {@code null}. Ignored where {@link #dynamicFilterApplies} says no.
         */
        public Builder dynamicFilter(int maxKeys) {
            if (maxKeys < 0) {
                throw new IllegalArgumentException("dynamicFilter maxKeys must be >= 0, was " + maxKeys);
            }
            this.dynamicFilter = maxKeys;
            return this;
        }

        /**
         * A condition besides the key equalities, evaluated on the combined row (left values, then right
         * values): a pair matches only when it is TRUE. {@code null} for none.
         */
        public Builder extraCondition(@Nullable RowPredicate residual) {
            this.residual = residual;
            return this;
        }

        /** The columns of the emitted rows: left then right for pairs, the left columns for SEMI/ANTI/NOT_IN. */
        public Builder output(Columns columns) {
            this.output = Objects.requireNonNull(columns, "output");
            return this;
        }

        /**
         * Emits only some columns of the {@link #output} layout, in this order, over {@code columns}: the
         * projection of a select list of plain columns, done while each output row is built (one array per
         * row) instead of by a later operator. {@code null} (default) emits the whole output layout.
         */
        public Builder project(int @Nullable [] positions, @Nullable Columns columns) {
            if ((positions == null) != (columns == null)) {
                throw new IllegalArgumentException("project needs both positions and columns, or neither");
            }
            if (positions != null && positions.length != columns.size()) {
                throw new IllegalArgumentException("project: " + positions.length + " positions for "
                        + columns.size() + " columns " + columns);
            }
            this.project = positions == null ? null : positions.clone();
            this.projected = columns;
            return this;
        }

        /** The query's memory budget the build side counts against (default unlimited). */
        public Builder budget(MemoryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** The most probe rows requested (and queued) at once (default 256). */
        public Builder prefetch(int prefetch) {
            if (prefetch <= 0) {
                throw new IllegalArgumentException("prefetch must be positive, was " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        /**
         * The join as a cold {@code Flux}: each subscription runs it anew.
         *
         * @throws IllegalStateException if an input or the output is missing, the key counts differ, or the
         *     output columns do not fit the join type
         */
        public Flux<Row> build() {
            if (left == null || right == null) {
                throw new IllegalStateException(name + ": both left and right inputs are required");
            }
            if (leftKeys.length != rightKeys.length) {
                throw new IllegalStateException(name + ": " + leftKeys.length + " left keys but "
                        + rightKeys.length + " right keys");
            }
            if (output == null) {
                throw new IllegalStateException(name + ": output columns are required");
            }
            int width = type.leftOnly() ? leftWidth : leftWidth + rightWidth;
            if (output.size() != width) {
                throw new IllegalStateException(name + ": a " + type + " join emits " + width
                        + " columns but output has " + output.size() + " " + output);
            }
            int[] positions = project;
            if (positions == null) {
                positions = new int[width];
                for (int i = 0; i < width; i++) {
                    positions[i] = i;
                }
            }
            for (int c : positions) {
                if (c < 0 || c >= width) {
                    throw new IllegalStateException(name + ": projected position " + c + " is outside 0.."
                            + (width - 1));
                }
            }
            boolean probeIsLeft = buildSide == Side.RIGHT;
            int maxKeys = dynamicFilterApplies(type, buildSide) ? dynamicFilter : 0;
            return new FluxHashJoin(new Spec(type, name, probeIsLeft,
                    probeIsLeft ? right : left, probeIsLeft ? rightKeys : leftKeys,
                    probeIsLeft ? left : right, probeIsLeft ? leftKeys : rightKeys,
                    leftWidth, rightWidth, maxKeys, residual, output, positions,
                    projected == null ? output : projected, project == null, budget, prefetch));
        }

        private static int[] checkKeys(int[] keys, int width, String side) {
            Objects.requireNonNull(keys, side + " keyIndexes");
            if (width <= 0) {
                throw new IllegalArgumentException(side + " width must be positive, was " + width);
            }
            if (keys.length == 0) {
                throw new IllegalArgumentException(side + " keyIndexes must not be empty");
            }
            for (int k : keys) {
                if (k < 0 || k >= width) {
                    throw new IllegalArgumentException(side + " key index " + k + " is outside 0.." + (width - 1));
                }
            }
            return keys.clone();
        }
    }

    /** The resolved configuration of one join, shared by its subscriptions. */
    record Spec(JoinType type, String name, boolean probeIsLeft,
                ProbeSource buildSource, int[] buildKeys, ProbeSource probeSource, int[] probeKeys,
                int leftWidth, int rightWidth, int dynamicMaxKeys, @Nullable RowPredicate residual,
                Columns layout, int[] project, Columns output, boolean identity, MemoryBudget budget, int prefetch) {

        /** The width of a build-side row. */
        int buildWidth() {
            return probeIsLeft ? rightWidth : leftWidth;
        }

        /** Whether unmatched probe rows are emitted (NULL-padded, or as the outer row of ANTI/NOT_IN). */
        boolean probePreserved() {
            return HashJoin.probePreserved(type, probeIsLeft);
        }

        /** Whether unmatched build rows are emitted NULL-padded at the end (outer join, build side preserved). */
        boolean buildPadded() {
            return switch (type) {
                case LEFT -> !probeIsLeft;
                case RIGHT -> probeIsLeft;
                case FULL -> true;
                default -> false;
            };
        }

        /** Whether the build side is the outer query of SEMI/ANTI/NOT_IN: probe rows only mark build rows. */
        boolean marksOnly() {
            return type.leftOnly() && !probeIsLeft;
        }

        /** Whether build rows whose key has a NULL part are kept (they are emitted at the end). */
        boolean keepsNullKeyBuildRows() {
            return buildPadded() || (marksOnly() && type != JoinType.SEMI);
        }

        /** Whether one build row per key is enough (existence checks without a residual condition). */
        boolean keysOnly() {
            return type.leftOnly() && probeIsLeft && residual == null;
        }

        @Override
        public String toString() {
            return name + " " + type + " build " + (probeIsLeft ? "right" : "left") + " keys "
                    + Arrays.toString(buildKeys);
        }
    }
}
