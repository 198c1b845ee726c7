package dev.tributary.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2DatabaseTest implements DatabaseTestKit {

    private Databases databases;

    @BeforeAll
    void start() {
        databases = Databases.builder()
                .database("h2", "r2dbc:h2:mem:///core_kit?options=DB_CLOSE_DELAY=-1",
                        PoolSettings.builder().maxSize(POOL_SIZE).build())
                .build();
        createTable();
    }

    @AfterAll
    void stop() {
        databases.close().block(TIMEOUT);
    }

    @Override
    public Database database() {
        return databases.get("h2");
    }

    @Override
    public String connectionIdSql() {
        return "SELECT SESSION_ID()";
    }

    @Override
    public String manyRowsSql() {
        return "SELECT X FROM SYSTEM_RANGE(1, 100000)";
    }
}
