package dev.tributary.core;

import reactor.util.context.Context;

/**
 * What kind of call a {@link TributaryListener} event or a Micrometer observation is about; its lower-case name is the
 * observations' {@code kind} tag.
 */
public enum QueryKind {
    /** A SELECT ({@code Database.query}). */
    QUERY,
    /** An INSERT, UPDATE, DELETE or DDL statement ({@code Database.update}). */
    UPDATE,
    /** One statement with several bind sets ({@code Database.batch}). */
    BATCH,
    /** The SQL a federated query sends to one database. */
    FRAGMENT,
    /** A transaction, on one database or across several. */
    TRANSACTION;

    /**
     * The Reactor context key under which a caller marks the calls it subscribes to: a {@code Database.query} whose
     * context holds {@code FRAGMENT} here is reported and observed as a fragment (the federation does so).
     */
    public static final String CONTEXT_KEY = "tributary.query.kind";

    /** The context that marks calls as this kind, for {@code contextWrite}. */
    public Context asContext() {
        return Context.of(CONTEXT_KEY, this);
    }

    /** The lower-case name: the value of the observations' {@code kind} tag. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
