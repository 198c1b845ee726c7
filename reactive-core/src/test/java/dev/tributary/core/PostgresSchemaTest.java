package dev.tributary.core;

/** Migrations and schema scripts against the server of {@link PostgresDatabaseTest}; fails when it is down. */
class PostgresSchemaTest extends SchemaTestKit {

    @Override
    String name() {
        return "starter_pg";
    }

    @Override
    String url() {
        return PostgresDatabaseTest.URL;
    }
}
