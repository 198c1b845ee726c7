package dev.tributary.core;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.IsolationLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One database's part in a transaction across databases: its connection, its local transaction (a branch, with
 * the id {@code <transaction>.<index>}), whether it wrote, and its compensations. The connection is opened at once,
 * detached from the caller, and signalled through {@link #opened()}; whoever ends the transaction waits for that
 * signal, so a connection being opened when the work ends is never leaked.
 */
final class Participant {

    /** A compensation registered by this step: SQL with binds, or work on a session. */
    record Compensation(String sql, Object[] binds, @Nullable Function<Session, ? extends Publisher<?>> work) {
    }

    final int index;
    final String database;
    final PooledDatabase db;
    final String branch;
    /** Whether the branch runs under MariaDB XA (two-phase mode). */
    final boolean xa;
    private final Sinks.One<Connection> ready = Sinks.one();
    private final List<Compensation> compensations = new ArrayList<>();
    private final ParticipantSession session;
    private volatile @Nullable Connection connection;
    private volatile boolean writer;
    private volatile boolean prepared;
    /** A prepare was sent: its outcome may be unknown (an error, a cut connection). */
    private volatile boolean preparing;

    Participant(int index, String database, PooledDatabase db, String branch, boolean xa) {
        this.index = index;
        this.database = database;
        this.db = db;
        this.branch = branch;
        this.xa = xa;
        this.session = new ParticipantSession(this);
    }

    Dialect dialect() {
        return db.dialect();
    }

    Session session() {
        return session;
    }

    /** Opens the connection and begins the branch, after {@code check}; detached from any subscriber. */
    void open(Mono<Void> check, @Nullable IsolationLevel isolation) {
        check.then(db.acquireConnection())
                .flatMap(c -> Mono.defer(() -> BranchSql.begin(c, dialect(), xa, isolation, branch))
                        .thenReturn(c)
                        .onErrorResume(error -> db.invalidate(c).then(Mono.error(error))))
                .subscribe(c -> {
                    connection = c;
                    ready.tryEmitValue(c);
                }, ready::tryEmitError);
    }

    /** Completes once the connection is open or failed to open; never signals an error. */
    Mono<Void> opened() {
        return ready.asMono().then().onErrorResume(error -> Mono.empty());
    }

    /** Completes once the connection is open; signals the error that kept it from opening. */
    Mono<Void> openResult() {
        return ready.asMono().then();
    }

    Mono<Connection> connection() {
        return ready.asMono();
    }

    boolean isOpen() {
        return connection != null;
    }

    boolean writer() {
        return writer;
    }

    void wrote() {
        writer = true;
    }

    boolean prepared() {
        return prepared;
    }

    List<Compensation> compensations() {
        synchronized (compensations) {
            return List.copyOf(compensations);
        }
    }

    void compensateWith(Compensation compensation) {
        synchronized (compensations) {
            compensations.add(compensation);
        }
    }

    /** Prepares the branch. */
    Mono<Void> prepare() {
        return withOpen(c -> {
            preparing = true;
            return BranchSql.prepare(c, dialect(), branch).doOnSuccess(v -> prepared = true);
        });
    }

    /** Commits the prepared branch on its connection and returns the connection; invalidates it on failure. */
    Mono<Void> commitPrepared() {
        return finish(c -> BranchSql.commitPrepared(c, dialect(), branch));
    }

    /** Commits the unprepared branch in one phase and returns the connection; invalidates it on failure. */
    Mono<Void> commitOnePhase() {
        return finish(c -> BranchSql.commitOnePhase(c, dialect(), xa, branch));
    }

    /**
     * Rolls the branch back and returns the connection. After a cancel ({@code cancelled}), an unprepared branch's
     * connection is closed instead (the server rolls back; a statement cut short may have left it unusable). If the
     * rollback fails the connection is closed; a prepared branch then stays for recovery (no COMMIT record: it rolls
     * back).
     */
    Mono<Void> rollback(boolean cancelled) {
        return opened().then(Mono.defer(() -> {
            Connection c = connection;
            session.end();
            if (c == null) {
                return Mono.empty();
            }
            connection = null;
            if (cancelled && !preparing) {
                return db.invalidate(c);
            }
            if (preparing && !prepared) {
                // the prepare failed or its outcome is unknown: close the connection (an unprepared branch rolls
                // back with it), then roll back by name in case it did prepare
                return db.invalidate(c).then(rollbackByName());
            }
            return Mono.defer(() -> BranchSql.rollback(c, dialect(), xa, branch, prepared))
                    .then(db.release(c))
                    .onErrorResume(error -> db.invalidate(c).then(prepared ? rollbackByName() : Mono.empty()));
        }));
    }

    /** Rolls the branch back by name from a fresh connection; "does not exist" is success. */
    private Mono<Void> rollbackByName() {
        return db.withConnection(c -> BranchSql.rollbackByName(c, dialect(), branch))
                .then()
                .onErrorResume(BranchSql::isUnknownBranch, gone -> Mono.empty());
    }

    /** Gives the connection up, leaving the prepared branch in the database for a later commit by name. */
    Mono<Void> abandon() {
        return opened().then(Mono.defer(() -> {
            Connection c = connection;
            session.end();
            connection = null;
            return c == null ? Mono.empty() : db.invalidate(c);
        }));
    }

    private Mono<Void> finish(Function<Connection, Mono<Void>> end) {
        return withOpen(c -> {
            session.end();
            connection = null;
            return Mono.defer(() -> end.apply(c))
                    .onErrorResume(error -> db.invalidate(c).then(Mono.error(error)))
                    .then(db.release(c));
        });
    }

    private Mono<Void> withOpen(Function<Connection, Mono<Void>> work) {
        return Mono.defer(() -> {
            Connection c = connection;
            return c == null ? Mono.error(new IllegalStateException("database '" + database + "' has no open"
                    + " connection in this transaction")) : work.apply(c);
        });
    }

    @Override
    public String toString() {
        return database + "[" + branch + (writer ? ", wrote" : "") + (prepared ? ", prepared" : "") + "]";
    }

    /** The {@link Session} of one participant: SQL on its connection, marking the participant a writer. */
    static final class ParticipantSession extends ConnectionOperations implements Session {

        private final Participant participant;
        private volatile boolean active = true;

        ParticipantSession(Participant participant) {
            super(participant.dialect());
            this.participant = participant;
        }

        void end() {
            active = false;
        }

        @Override
        <T> Flux<T> withConnection(Function<Connection, ? extends Publisher<T>> work) {
            return Flux.defer(() -> active
                    ? participant.connection().flatMapMany(work)
                    : Flux.error(new IllegalStateException("The transaction across databases has ended; run SQL on"
                            + " its sessions only inside the publisher returned to Databases.inTransaction")));
        }

        @Override
        <T> Flux<T> guardWrite(Flux<T> write) {
            return Flux.defer(() -> {
                participant.wrote();
                return write;
            });
        }

        @Override
        Flux<Row> rows(String sql, Object[] binds) {
            return Flux.defer(() -> {
                if (!ReadOnlySql.isRead(sql)) {
                    participant.wrote();
                }
                return super.rows(sql, binds);
            });
        }

        @Override
        public Mono<Void> compensateWith(String sql, Object... binds) {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(binds, "binds");
            Object[] copy = binds.clone();
            return Mono.fromRunnable(() -> {
                CompensationBinds.encode(copy);
                participant.compensateWith(new Compensation(sql, copy, null));
            });
        }

        @Override
        public Mono<Void> compensateWith(Function<Session, ? extends Publisher<?>> compensation) {
            Objects.requireNonNull(compensation, "compensation");
            return Mono.fromRunnable(() -> participant.compensateWith(new Compensation("", new Object[0], compensation)));
        }
    }
}
