package dev.tributary.samples.web;

import dev.tributary.core.Databases;
import java.time.Duration;

/**
 * The PostgreSQL and MariaDB servers of the integration tests ({@code TRIBUTARY_PG_URL},
 * {@code TRIBUTARY_MARIADB_URL}, localhost by default), and places of the samples' own on them: a PostgreSQL
 * schema or a MariaDB database per test class, named {@code samples_*}, so that the samples' tables never meet
 * the tables other tests create in {@code test} (a bare table name the federation finds twice is ambiguous).
 * Creating them fails loudly when a server is down.
 */
final class TestServers {

    private TestServers() {
    }

    static String postgresUrl() {
        return System.getenv().getOrDefault("TRIBUTARY_PG_URL", "r2dbc:postgresql://postgres@127.0.0.1:5432/test");
    }

    static String mariadbUrl() {
        return System.getenv().getOrDefault("TRIBUTARY_MARIADB_URL", "r2dbc:mariadb://root@127.0.0.1:3306/test");
    }

    /** The PostgreSQL URL with its search path set to {@code schema}, which is created when missing. */
    static String postgresSchema(String schema) {
        Databases admin = Databases.builder().database("pg", postgresUrl()).build();
        admin.get("pg").update("CREATE SCHEMA IF NOT EXISTS " + schema).then(admin.close()).block(Duration.ofSeconds(60));
        String url = postgresUrl();
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema;
    }

    /** The MariaDB URL on {@code database} instead of its own, which is created when missing. */
    static String mariadbDatabase(String database) {
        Databases admin = Databases.builder().database("maria", mariadbUrl()).build();
        admin.get("maria").update("CREATE DATABASE IF NOT EXISTS " + database).then(admin.close()).block(Duration.ofSeconds(60));
        return mariadbUrl().replaceFirst("(//[^/]+/)[^?]*", "$1" + database);
    }
}
