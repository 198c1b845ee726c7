package dev.tributary.benchmarks;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.PoolSettings;
import io.r2dbc.pool.ConnectionPool;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the benchmarks run against: the loaded {@link DataSet}, raw r2dbc-pool pools on PostgreSQL and H2,
 * a Tributary {@link Databases} registry over the same databases ({@code pg}, {@code h2}, {@code refdata}, pools of
 * the same size), and, opened on first use, a PostgreSQL JDBC connection and a Calcite connection. One per JMH
 * trial.
 */
final class Fixture implements AutoCloseable {

    /** Pool size of every pool, raw or Tributary: enough for 64 concurrent lookups on 2 cores. */
    static final int POOL_SIZE = 16;

    final DataSet data;
    final Queries sql;
    final ConnectionPool pg;
    final ConnectionPool h2;
    final Databases databases;
    private Connection pgJdbc;
    private Connection calcite;

    private Fixture(DataSet data) {
        this.data = data;
        this.sql = new Queries(data);
        DataLoader.load(data);
        this.pg = Raw.pool(Env.pgR2dbcUrl(), POOL_SIZE);
        this.h2 = Raw.pool(Env.h2R2dbcUrl(data.h2Name()), POOL_SIZE);
        PoolSettings pool = PoolSettings.builder().initialSize(1).maxSize(POOL_SIZE).build();
        this.databases = Databases.builder()
                .database(Queries.PG, Env.pgR2dbcUrl(), pool)
                .database(Queries.H2, Env.h2R2dbcUrl(data.h2Name()), pool)
                .database(Queries.REF, Env.h2R2dbcUrl(data.refName()), pool)
                .build();
        databases.warmup().block();
    }

    Database tributaryPg() {
        return databases.get(Queries.PG);
    }

    Database tributaryH2() {
        return databases.get(Queries.H2);
    }

    static Fixture open(DataSet data) {
        return new Fixture(data);
    }

    /** A PostgreSQL JDBC connection outside auto-commit, so that a fetch size streams. */
    synchronized Connection pgJdbc() throws SQLException {
        if (pgJdbc == null) {
            pgJdbc = Env.pgJdbc();
            pgJdbc.setAutoCommit(false);
        }
        return pgJdbc;
    }

    synchronized Connection calcite() throws SQLException {
        if (calcite == null) {
            calcite = Calcite.connect(data);
        }
        return calcite;
    }

    @Override
    public void close() throws SQLException {
        databases.close().block();
        Raw.close(pg);
        Raw.close(h2);
        if (pgJdbc != null) {
            pgJdbc.close();
        }
        if (calcite != null) {
            calcite.close();
        }
    }
}
