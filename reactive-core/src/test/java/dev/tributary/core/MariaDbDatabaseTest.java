package dev.tributary.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The kit against MariaDB at {@code TRIBUTARY_MARIADB_URL}; fails when the server is down. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbDatabaseTest implements DatabaseTestKit {

    static final String URL = System.getenv().getOrDefault("TRIBUTARY_MARIADB_URL",
            "r2dbc:mariadb://root@127.0.0.1:3306/test");

    private Databases databases;

    @BeforeAll
    void start() {
        databases = Databases.builder()
                .database("mariadb", URL, PoolSettings.builder().maxSize(POOL_SIZE).build())
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
        return databases.get("mariadb");
    }

    @Override
    public String connectionIdSql() {
        return "SELECT CONNECTION_ID()";
    }

    @Override
    public String manyRowsSql() {
        return "SELECT seq FROM seq_1_to_100000";
    }

    @Override
    public String timestampType() {
        return "DATETIME(6)";
    }
}
