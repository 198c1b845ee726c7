package dev.tributary.federation.plan;

import dev.tributary.federation.sql.QueryNode;
import java.util.List;

/** A bound query expression: a {@link BoundQuery} block or a {@link BoundSet}. */
public sealed interface BoundBody extends QueryNode permits BoundQuery, BoundSet {

    /** The first index of the relations bound within this query (its own and its nested ones). */
    int firstRelation();

    /** One past the last index of the relations bound within this query. */
    int endRelation();

    /** The names of the output columns. */
    List<String> columnNames();
}
