package dev.tributary.core;

/** Migrations and schema scripts against the server of {@link MariaDbDatabaseTest}; fails when it is down. */
class MariaDbSchemaTest extends SchemaTestKit {

    @Override
    String name() {
        return "starter_maria";
    }

    @Override
    String url() {
        return MariaDbDatabaseTest.URL;
    }
}
