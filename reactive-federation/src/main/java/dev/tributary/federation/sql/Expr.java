package dev.tributary.federation.sql;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A scalar expression of the query model: immutable, compared by value. {@link Column} is a name as
 * written; the planner binds it to a {@link Ref} (relation index, column index in the catalog).
 */
public sealed interface Expr {

    /** Binary operators: logical, comparison and arithmetic. */
    enum BinaryOp {
        AND("AND"), OR("OR"), EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="),
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%");

        private final String sql;

        BinaryOp(String sql) {
            this.sql = sql;
        }

        /** The operator as written in SQL. */
        public String sql() {
            return sql;
        }

        /** Whether this is one of {@code = <> < <= > >=}. */
        public boolean isComparison() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
        }

        /** Whether this is an arithmetic operator. */
        public boolean isArithmetic() {
            return ordinal() >= ADD.ordinal();
        }
    }

    /** A column name as written, with its optional qualifier (table alias or name). */
    record Column(@Nullable String qualifier, String name, int line, int col) implements Expr {
        @Override
        public boolean equals(Object o) {
            return o instanceof Column c && java.util.Objects.equals(qualifier, c.qualifier) && name.equals(c.name);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(qualifier, name);
        }

        @Override
        public String toString() {
            return qualifier == null ? name : qualifier + "." + name;
        }
    }

    /** A bound column: {@code column} of relation {@code relation} (indexes into the planner's relations). */
    record Ref(int relation, int column) implements Expr {
    }

    /**
     * A literal: {@code Integer}/{@code Long} for integer literals, {@code BigDecimal} for decimals,
     * {@code String}, {@code Boolean}, {@code LocalDate}, or {@code null} for NULL.
     */
    record Literal(@Nullable Object value) implements Expr {
    }

    /** A parameter: {@code ?} by 0-based position, or {@code :name} by name. */
    record Param(int index, @Nullable String name) implements Expr {
        @Override
        public String toString() {
            return name != null ? ":" + name : "?" + (index + 1);
        }
    }

    /** {@code left op right}. */
    record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
    }

    /** {@code NOT operand}. */
    record Not(Expr operand) implements Expr {
    }

    /** {@code -operand}. */
    record Negate(Expr operand) implements Expr {
    }

    /** {@code operand IS [NOT] NULL}. */
    record IsNull(Expr operand, boolean negated) implements Expr {
    }

    /** {@code operand [NOT] IN (values)}. */
    record InList(Expr operand, List<Expr> values, boolean negated) implements Expr {
        public InList {
            values = List.copyOf(values);
        }
    }

    /** {@code operand [NOT] BETWEEN low AND high}. */
    record Between(Expr operand, Expr low, Expr high, boolean negated) implements Expr {
    }

    /** {@code operand [NOT] LIKE pattern [ESCAPE escape]}. */
    record Like(Expr operand, Expr pattern, @Nullable Expr escape, boolean negated) implements Expr {
    }

    /** One {@code WHEN condition THEN result} of a CASE. */
    record When(Expr condition, Expr result) {
    }

    /** {@code CASE [operand] WHEN ... THEN ... [ELSE otherwise] END}. */
    record Case(@Nullable Expr operand, List<When> whens, @Nullable Expr otherwise) implements Expr {
        public Case {
            whens = List.copyOf(whens);
        }
    }

    /**
     * A scalar function call; {@code function} is a canonical name in upper case (see
     * {@link dev.tributary.federation.plan.Functions} for the names and their arguments).
     */
    record Call(String function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /**
     * {@code CAST(operand AS type)}; {@code type} normalised: INTEGER, BIGINT, NUMERIC, NUMERIC(p,s), VARCHAR,
     * VARCHAR(n), TEXT, DATE, TIMESTAMP, DOUBLE PRECISION or BOOLEAN.
     */
    record Cast(Expr operand, String type) implements Expr {
    }

    /**
     * An aggregate call: {@code function} in upper case (COUNT, SUM, AVG, MIN, MAX); {@code arg} is {@code null}
     * for {@code COUNT(*)}.
     */
    record Agg(String function, @Nullable Expr arg, boolean distinct) implements Expr {
    }

    /** A scalar subquery {@code (SELECT ...)}: one column, at most one row. */
    record ScalarSubquery(QueryNode query) implements Expr {
    }

    /** {@code EXISTS (SELECT ...)}; NOT EXISTS is {@code Not(Exists)}. */
    record Exists(QueryNode query) implements Expr {
    }

    /** {@code operand [NOT] IN (SELECT ...)}. */
    record InSubquery(Expr operand, QueryNode query, boolean negated) implements Expr {
    }

    /**
     * The direct sub-expressions, in order. The body of a subquery is not a sub-expression: it is a query of
     * its own scope.
     */
    default List<Expr> children() {
        if (this instanceof Binary b) {
            return List.of(b.left(), b.right());
        } else if (this instanceof Not n) {
            return List.of(n.operand());
        } else if (this instanceof Negate n) {
            return List.of(n.operand());
        } else if (this instanceof IsNull n) {
            return List.of(n.operand());
        } else if (this instanceof InList in) {
            java.util.ArrayList<Expr> l = new java.util.ArrayList<>();
            l.add(in.operand());
            l.addAll(in.values());
            return l;
        } else if (this instanceof Between b) {
            return List.of(b.operand(), b.low(), b.high());
        } else if (this instanceof Like l) {
            return l.escape() == null ? List.of(l.operand(), l.pattern()) : List.of(l.operand(), l.pattern(), l.escape());
        } else if (this instanceof Case c) {
            java.util.ArrayList<Expr> l = new java.util.ArrayList<>();
            if (c.operand() != null) {
                l.add(c.operand());
            }
            for (When w : c.whens()) {
                l.add(w.condition());
                l.add(w.result());
            }
            if (c.otherwise() != null) {
                l.add(c.otherwise());
            }
            return l;
        } else if (this instanceof Call c) {
            return c.args();
        } else if (this instanceof Agg a) {
            return a.arg() == null ? List.of() : List.of(a.arg());
        } else if (this instanceof InSubquery in) {
            return List.of(in.operand());
        } else if (this instanceof Cast c) {
            return List.of(c.operand());
        }
        return List.of();
    }

    /** Visits this expression and every sub-expression, parents first. */
    default void forEach(Consumer<Expr> visitor) {
        visitor.accept(this);
        for (Expr child : children()) {
            child.forEach(visitor);
        }
    }

    /**
     * This expression with {@code f} applied bottom-up: children are rewritten first, then {@code f} is
     * applied to the rebuilt node.
     */
    default Expr rewrite(UnaryOperator<Expr> f) {
        Expr e = this;
        if (this instanceof Binary b) {
            e = new Binary(b.op(), b.left().rewrite(f), b.right().rewrite(f));
        } else if (this instanceof Not n) {
            e = new Not(n.operand().rewrite(f));
        } else if (this instanceof Negate n) {
            e = new Negate(n.operand().rewrite(f));
        } else if (this instanceof IsNull n) {
            e = new IsNull(n.operand().rewrite(f), n.negated());
        } else if (this instanceof InList in) {
            e = new InList(in.operand().rewrite(f), in.values().stream().map(v -> v.rewrite(f)).toList(), in.negated());
        } else if (this instanceof Between b) {
            e = new Between(b.operand().rewrite(f), b.low().rewrite(f), b.high().rewrite(f), b.negated());
        } else if (this instanceof Like l) {
            e = new Like(l.operand().rewrite(f), l.pattern().rewrite(f),
                    l.escape() == null ? null : l.escape().rewrite(f), l.negated());
        } else if (this instanceof Case c) {
            e = new Case(c.operand() == null ? null : c.operand().rewrite(f),
                    c.whens().stream().map(w -> new When(w.condition().rewrite(f), w.result().rewrite(f))).toList(),
                    c.otherwise() == null ? null : c.otherwise().rewrite(f));
        } else if (this instanceof Call c) {
            e = new Call(c.function(), c.args().stream().map(a -> a.rewrite(f)).toList());
        } else if (this instanceof Agg a) {
            e = new Agg(a.function(), a.arg() == null ? null : a.arg().rewrite(f), a.distinct());
        } else if (this instanceof InSubquery in) {
            e = new InSubquery(in.operand().rewrite(f), in.query(), in.negated());
        } else if (this instanceof Cast c) {
            e = new Cast(c.operand().rewrite(f), c.type());
        }
        return f.apply(e);
    }

    /** The conjuncts of an AND tree ({@code a AND (b AND c)} gives a, b, c). */
    static List<Expr> conjuncts(@Nullable Expr e) {
        java.util.ArrayList<Expr> out = new java.util.ArrayList<>();
        if (e != null) {
            addConjuncts(e, out);
        }
        return out;
    }

    private static void addConjuncts(Expr e, List<Expr> out) {
        if (e instanceof Binary b && b.op() == BinaryOp.AND) {
            addConjuncts(b.left(), out);
            addConjuncts(b.right(), out);
        } else {
            out.add(e);
        }
    }

    /** The AND of these conjuncts, or {@code null} for none. */
    static @Nullable Expr and(List<Expr> conjuncts) {
        Expr result = null;
        for (Expr c : conjuncts) {
            result = result == null ? c : new Binary(BinaryOp.AND, result, c);
        }
        return result;
    }
}
