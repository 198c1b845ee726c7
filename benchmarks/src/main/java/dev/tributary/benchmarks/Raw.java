package dev.tributary.benchmarks;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import reactor.core.publisher.Flux;

/** The baseline without Tributary: plain r2dbc-pool and the driver, rows read into {@code Object[]}. */
final class Raw {

    private Raw() {
    }

    static ConnectionPool pool(String r2dbcUrl, int maxSize) {
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(r2dbcUrl))
                .initialSize(1)
                .maxSize(maxSize)
                .maxAcquireTime(Duration.ofSeconds(30))
                .build());
        pool.warmup().block();
        return pool;
    }

    /** Runs {@code sql} on a pooled connection and emits every row's values (all columns read). */
    static Flux<Object[]> rows(ConnectionPool pool, String sql, Object... binds) {
        return Flux.usingWhen(pool.create(), c -> rows(c, sql, binds), Connection::close);
    }

    private static Flux<Object[]> rows(Connection c, String sql, Object... binds) {
        Statement st = c.createStatement(sql);
        for (int i = 0; i < binds.length; i++) {
            st.bind(i, binds[i]);
        }
        return Flux.from(st.execute()).concatMap(r -> r.map((row, meta) -> {
            int n = meta.getColumnMetadatas().size();
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = row.get(i);
            }
            return values;
        }));
    }

    static void close(ConnectionPool pool) {
        if (pool != null) {
            pool.disposeLater().block();
        }
    }

}
