package dev.tributary.core;

import java.util.Objects;

/**
 * One SQL call, as {@link TributaryListener} sees it.
 *
 * @param database the database's registered name (a replica's name, such as {@code orders-replica-1}, for a read it
 *     served; {@code federation} for a federated query as a whole)
 * @param kind query, update, batch or fragment
 * @param sql the SQL text as sent (bind values are never included)
 */
public record QueryEvent(String database, QueryKind kind, String sql) {

    public QueryEvent {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sql, "sql");
    }
}
