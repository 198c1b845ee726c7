package dev.tributary.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The kit against PostgreSQL at {@code TRIBUTARY_PG_URL}; fails when the server is down. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresDatabaseTest implements DatabaseTestKit {

    static final String URL = System.getenv().getOrDefault("TRIBUTARY_PG_URL",
            "r2dbc:postgresql://postgres@127.0.0.1:5432/test");

    private Databases databases;

    @BeforeAll
    void start() {
        databases = Databases.builder()
                .database("pg", URL, PoolSettings.builder().maxSize(POOL_SIZE).build())
                .build();
        databases.warmup().block(TIMEOUT);
        createTable();
    }

    @AfterAll
    void stop() {
        databases.close().block(TIMEOUT);
    }

    @Override
    public Database database() {
        return databases.get("pg");
    }

    @Override
    public String connectionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    public String manyRowsSql() {
        return "SELECT g FROM generate_series(1, 100000) AS g";
    }
}
