package dev.tributary.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The decision log: three tables in the log database, created when missing.
 *
 * <pre>
 * &lt;prefix&gt;_log          (gid VARCHAR(64) PRIMARY KEY, node_id VARCHAR(32), state VARCHAR(10), participants VARCHAR(2000), created_at BIGINT)
 * &lt;prefix&gt;_node         (node_id VARCHAR(32) PRIMARY KEY, expires_at BIGINT)
 * &lt;prefix&gt;_compensation (gid VARCHAR(64), seq INT, step INT, database_name VARCHAR(200), sql_text VARCHAR(4000), binds VARCHAR(4000))
 * </pre>
 *
 * <p>A record's state is {@code COMMIT} (a two-phase decision), {@code ABORT} (written by recovery before it rolls
 * back, so that a late COMMIT by a presumed-dead owner fails on the key) or {@code SAGA} (a best-effort transaction
 * whose compensations are recorded). The first record for a gid wins: the primary key arbitrates between an owner
 * deciding COMMIT and a recoverer deciding ABORT. Each statement is a local transaction of its own, committed before
 * its publisher completes; the statements run on plain pooled connections (no retries).
 */
final class DecisionLog {

    static final String COMMIT = "COMMIT";
    static final String ABORT = "ABORT";
    static final String SAGA = "SAGA";

    /** A log record. */
    record Entry(String gid, String node, String state, long createdAt) {
    }

    /** A recorded compensation. */
    record Compensation(int seq, int step, String database, String sql, Object[] binds) {
    }

    private final PooledDatabase db;
    private final String log;
    private final String nodes;
    private final String compensations;

    DecisionLog(PooledDatabase db, String tablePrefix) {
        this.db = db;
        this.log = tablePrefix + "_log";
        this.nodes = tablePrefix + "_node";
        this.compensations = tablePrefix + "_compensation";
    }

    String database() {
        return db.name();
    }

    /** Creates the tables when missing (twice if two instances raced on the first try). */
    Mono<Void> createTables() {
        Mono<Void> create = run("CREATE TABLE IF NOT EXISTS " + log + " (gid VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " node_id VARCHAR(32) NOT NULL, state VARCHAR(10) NOT NULL, participants VARCHAR(2000) NOT NULL,"
                + " created_at BIGINT NOT NULL)")
                .then(run("CREATE TABLE IF NOT EXISTS " + nodes + " (node_id VARCHAR(32) NOT NULL PRIMARY KEY,"
                        + " expires_at BIGINT NOT NULL)"))
                .then(run("CREATE TABLE IF NOT EXISTS " + compensations + " (gid VARCHAR(64) NOT NULL, seq INT NOT NULL,"
                        + " step INT NOT NULL, database_name VARCHAR(200) NOT NULL, sql_text VARCHAR(4000) NOT NULL,"
                        + " binds VARCHAR(4000) NOT NULL, PRIMARY KEY (gid, seq))"));
        return create.onErrorResume(error -> create);
    }

    /** Sets this node's lease to end at {@code expiresAt}. */
    Mono<Void> renewLease(String node, long expiresAt) {
        return update("UPDATE " + nodes + " SET expires_at = " + m(0) + " WHERE node_id = " + m(1), expiresAt, node)
                .flatMap(n -> n > 0 ? Mono.<Void>empty()
                        : update("INSERT INTO " + nodes + " (node_id, expires_at) VALUES (" + m(0) + ", " + m(1) + ")",
                                node, expiresAt)
                                .onErrorResume(raced -> update("UPDATE " + nodes + " SET expires_at = " + m(0)
                                        + " WHERE node_id = " + m(1), expiresAt, node))
                                .then());
    }

    /** Every node's lease end. */
    Mono<Map<String, Long>> leases() {
        return rows("SELECT node_id, expires_at FROM " + nodes)
                .collectMap(r -> (String) r[0], r -> ((Number) r[1]).longValue(), LinkedHashMap::new);
    }

    /**
     * Writes the COMMIT decision of {@code gid} if this node's lease still holds at {@code now} and no record
     * exists. Completes once the decision is durable; signals an error if it was not written (lease lost, a
     * record exists, or the statement failed: the caller then reads back what stands).
     */
    Mono<Void> decideCommit(String gid, String node, String participants, long now) {
        return update("INSERT INTO " + log + " (gid, node_id, state, participants, created_at) SELECT " + m(0) + ", "
                + m(1) + ", 'COMMIT', " + m(2) + ", " + m(3) + " FROM " + nodes + " WHERE node_id = " + m(4)
                + " AND expires_at > " + m(5), gid, node, participants, now, node, now)
                .flatMap(n -> n == 1 ? Mono.<Void>empty() : Mono.error(new TributaryException("The lease of node '"
                        + node + "' in the decision log had expired; transaction " + gid + " is rolled back")));
    }

    /**
     * Writes {@code state} for {@code gid} unless a record exists, and emits the state that stands: the one written,
     * or the one that was there.
     */
    Mono<String> claim(String gid, String node, String state, String participants, long now) {
        return update("INSERT INTO " + log + " (gid, node_id, state, participants, created_at) VALUES (" + m(0) + ", "
                + m(1) + ", " + m(2) + ", " + m(3) + ", " + m(4) + ")", gid, node, state, participants, now)
                .thenReturn(state)
                .onErrorResume(error -> state(gid).switchIfEmpty(Mono.error(error)));
    }

    /** The state recorded for {@code gid}, or empty. */
    Mono<String> state(String gid) {
        return rows("SELECT state FROM " + log + " WHERE gid = " + m(0), gid).next().map(r -> (String) r[0]);
    }

    /** Every record. */
    Flux<Entry> entries() {
        return rows("SELECT gid, node_id, state, created_at FROM " + log)
                .map(r -> new Entry((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue()));
    }

    /** Deletes the record of {@code gid} and its compensations. */
    Mono<Void> forget(String gid) {
        return db.inTransaction(s -> s.update("DELETE FROM " + compensations + " WHERE gid = " + m(0), gid)
                        .then(s.update("DELETE FROM " + log + " WHERE gid = " + m(0), gid)))
                .then();
    }

    /** Deletes ABORT records written before {@code before}. */
    Mono<Void> pruneAborts(long before) {
        return update("DELETE FROM " + log + " WHERE state = 'ABORT' AND created_at < " + m(0), before).then();
    }

    /** Writes a SAGA record and its compensations in one local transaction. */
    Mono<Void> recordSaga(String gid, String node, String participants, long now, List<Compensation> list) {
        List<Object[]> rows = new ArrayList<>();
        for (Compensation c : list) {
            rows.add(new Object[] {gid, c.seq(), c.step(), c.database(), c.sql(), CompensationBinds.encode(c.binds())});
        }
        return db.inTransaction(s -> s.update("INSERT INTO " + log + " (gid, node_id, state, participants, created_at)"
                        + " VALUES (" + m(0) + ", " + m(1) + ", 'SAGA', " + m(2) + ", " + m(3) + ")", gid, node,
                        participants, now)
                        .then(rows.isEmpty() ? Mono.empty() : s.batch("INSERT INTO " + compensations
                                + " (gid, seq, step, database_name, sql_text, binds) VALUES (" + m(0) + ", " + m(1) + ", "
                                + m(2) + ", " + m(3) + ", " + m(4) + ", " + m(5) + ")", rows)))
                .then();
    }

    /** The compensations of {@code gid}, last step first, last registered first. */
    Flux<Compensation> compensations(String gid) {
        return rows("SELECT seq, step, database_name, sql_text, binds FROM " + compensations + " WHERE gid = " + m(0)
                + " ORDER BY step DESC, seq DESC", gid)
                .map(r -> new Compensation(((Number) r[0]).intValue(), ((Number) r[1]).intValue(), (String) r[2],
                        (String) r[3], CompensationBinds.decode((String) r[4])));
    }

    private String m(int index) {
        return db.dialect().bindMarker(index);
    }

    private Mono<Void> run(String sql) {
        return update(sql).then();
    }

    private Mono<Long> update(String sql, @Nullable Object... binds) {
        return db.withConnection(c -> Statements.update(c, db.dialect(), sql, binds)).single();
    }

    private Flux<Object[]> rows(String sql, Object... binds) {
        return db.withConnection(c -> Statements.rows(c, db.dialect(), sql, binds)).map(row -> {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            return values;
        });
    }
}
