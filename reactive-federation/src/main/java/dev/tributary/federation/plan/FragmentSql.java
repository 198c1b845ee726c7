package dev.tributary.federation.plan;

import dev.tributary.federation.sql.Expr;
import java.util.List;

/**
 * A fragment rendered for its database: the exact SQL text and where each bind value comes from.
 *
 * @param sql the statement with the dialect's bind markers
 * @param binds one source per marker, in order
 */
record FragmentSql(String sql, List<Bind> binds) {

    public FragmentSql {
        binds = List.copyOf(binds);
    }

    /** Where a bind value comes from. */
    public sealed interface Bind {
    }

    /** A literal of the query. */
    public record Value(Object value) implements Bind {
        @Override
        public String toString() {
            return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
        }
    }

    /** A parameter of the query. */
    public record Param(Expr.Param param) implements Bind {
        @Override
        public String toString() {
            return param.toString();
        }
    }

    /**
     * The build side's distinct values of key column {@code column} (of {@code columns} filtered) as one typed
     * array (PostgreSQL {@code = ANY}).
     */
    public record KeyArray(String join, Class<?> elementType, int column, int columns) implements Bind {
        @Override
        public String toString() {
            return "<" + elementType.getSimpleName() + "[] of the keys of " + join
                    + (columns == 1 ? "" : ", key column " + (column + 1)) + ">";
        }
    }

    /** Key {@code index} of the current batch of the build side's keys (an IN list). */
    public record Key(String join, int index) implements Bind {
        @Override
        public String toString() {
            return index == 0 ? "<keys of " + join + ", one marker each, batched>" : "<key " + (index + 1) + " of " + join + ">";
        }
    }

    /** Column {@code column} (of {@code columns}) of key tuple {@code index} of the current batch (a row-value IN list). */
    public record TupleKey(String join, int index, int column, int columns) implements Bind {
        @Override
        public String toString() {
            return index == 0 && column == 0 ? "<key tuples of " + join + ", " + columns + " markers each, batched>"
                    : "<key " + (index + 1) + " column " + (column + 1) + " of " + join + ">";
        }
    }

    /** The least ({@code high} false) or greatest value of key column {@code column} (a range filter). */
    public record RangeBound(String join, int column, boolean high) implements Bind {
        @Override
        public String toString() {
            return "<" + (high ? "greatest" : "least") + " key " + (column + 1) + " of " + join + ">";
        }
    }
}
