package dev.tributary.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a federated query will run, from {@link Federation#explain(String)}: a tree whose leaves are the SQL
 * fragments sent to each database (with their exact SQL and binds) and whose inner nodes are hash joins
 * and in-memory operators. {@link #toString()} prints it; {@link #root()}, {@link #fragments()} and
 * {@link #joins()} navigate it as data.
 */
public final class Plan {

    /** A node of the plan. */
    public sealed interface Node permits Fragment, Join, Operator, Multi {

        /** The estimated number of rows this node emits. */
        double estimatedRows();

        /** The inputs of this node, in order. */
        List<Node> children();
    }

    /**
     * A SQL statement sent to one database.
     *
     * @param id the fragment's number in the plan, from 1
     * @param database the registered database name
     * @param dialect the database's dialect ({@code POSTGRESQL}, {@code H2}, {@code MARIADB}, ...)
     * @param sql the exact SQL, with the dialect's bind markers
     * @param binds one description per marker: a literal's value ({@code 'DE'}, {@code 42}), a parameter
     *     ({@code ?1}, {@code :name}) or the keys of a dynamic filter
     * @param dynamicFilter the join whose build-side keys filter this fragment, or {@code null}
     * @param estimatedRows the estimated rows (before any dynamic filter)
     */
    public record Fragment(int id, String database, String dialect, String sql, List<String> binds,
            @Nullable String dynamicFilter, double estimatedRows) implements Node {
        public Fragment {
            binds = List.copyOf(binds);
        }

        @Override
        public List<Node> children() {
            return List.of();
        }
    }

    /**
     * A hash join of two inputs from different databases.
     *
     * @param name the join's name, used in errors ({@code join#1 c x o})
     * @param type INNER, LEFT, RIGHT or FULL
     * @param keys the equi-join keys, {@code left = right}
     * @param residual a further condition evaluated on matched rows, or {@code null}
     * @param buildSide {@code LEFT} or {@code RIGHT}: the input collected into the hash table
     * @param dynamicFilter whether the build side's keys are pushed into the probe fragment
     */
    public record Join(String name, String type, List<String> keys, @Nullable String residual, String buildSide,
            boolean dynamicFilter, double estimatedRows, Node left, Node right) implements Node {
        public Join {
            keys = List.copyOf(keys);
        }

        @Override
        public List<Node> children() {
            return List.of(left, right);
        }
    }

    /**
     * An in-memory operator over one input: {@code Filter}, {@code Sort}, {@code TopN}, {@code Limit},
     * {@code Project} or {@code Distinct}.
     */
    public record Operator(String name, String detail, double estimatedRows, Node input) implements Node {
        @Override
        public List<Node> children() {
            return List.of(input);
        }
    }

    /**
     * An in-memory operator over several inputs: {@code UnionAll} and {@code Union} (the rows of every input,
     * read concurrently; {@code Union} without duplicates), or {@code Subqueries} (the uncorrelated subqueries
     * that run first, their values bound into the last input, the main query).
     */
    public record Multi(String name, String detail, double estimatedRows, List<Node> inputs) implements Node {
        public Multi {
            inputs = List.copyOf(inputs);
        }

        @Override
        public List<Node> children() {
            return inputs;
        }
    }

    private final Node root;

    private Plan(Node root) {
        this.root = root;
    }

    /** A plan with this root; used by the planner. */
    public static Plan of(Node root) {
        return new Plan(Objects.requireNonNull(root, "root"));
    }

    /** The top node. */
    public Node root() {
        return root;
    }

    /** Whether the whole query goes to one database as a single fragment. */
    public boolean pushedWhole() {
        return root instanceof Fragment;
    }

    /** Every fragment, in plan order. */
    public List<Fragment> fragments() {
        List<Fragment> out = new ArrayList<>();
        collect(root, Fragment.class, out);
        return out;
    }

    /** Every join, top first. */
    public List<Join> joins() {
        List<Join> out = new ArrayList<>();
        collect(root, Join.class, out);
        return out;
    }

    private static <T> void collect(Node n, Class<T> type, List<T> out) {
        if (type.isInstance(n)) {
            out.add(type.cast(n));
        }
        for (Node c : n.children()) {
            collect(c, type, out);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        print(root, "", "", sb);
        return sb.toString();
    }

    private static void print(Node n, String first, String rest, StringBuilder sb) {
        sb.append(first);
        if (n instanceof Fragment f) {
            sb.append("Fragment #").append(f.id()).append(" on ").append(f.database()).append(" (")
                    .append(f.dialect()).append(")  est. rows ").append(rows(f.estimatedRows()));
            if (f.dynamicFilter() != null) {
                sb.append("  dynamic filter from ").append(f.dynamicFilter());
            }
            sb.append('\n').append(rest).append("  SQL:   ").append(f.sql()).append('\n');
            sb.append(rest).append("  binds: ").append(f.binds()).append('\n');
            return;
        }
        if (n instanceof Join j) {
            sb.append("HashJoin ").append(j.type()).append(' ').append(j.name()).append("  keys ")
                    .append(String.join(" AND ", j.keys()));
            if (j.residual() != null) {
                sb.append("  residual ").append(j.residual());
            }
            sb.append("  build ").append(j.buildSide()).append("  dynamic filter ")
                    .append(j.dynamicFilter() ? "yes" : "no").append("  est. rows ")
                    .append(rows(j.estimatedRows())).append('\n');
        } else if (n instanceof Multi m) {
            sb.append(m.name()).append(m.detail().isEmpty() ? "" : " " + m.detail()).append("  est. rows ")
                    .append(rows(m.estimatedRows())).append('\n');
        } else if (n instanceof Operator o) {
            sb.append(o.name()).append(' ').append(o.detail()).append("  est. rows ").append(rows(o.estimatedRows()))
                    .append('\n');
        }
        List<Node> children = n.children();
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            print(children.get(i), rest + (last ? "└─ " : "├─ "), rest + (last ? "   " : "│  "), sb);
        }
    }

    private static String rows(double rows) {
        return String.format(Locale.ROOT, "%.0f", rows);
    }
}
