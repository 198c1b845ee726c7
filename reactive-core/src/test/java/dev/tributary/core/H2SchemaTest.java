package dev.tributary.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Migrations and schema scripts on an H2 file database, named as an absolute path with four slashes
 * ({@code r2dbc:h2:file:////tmp/...}): Flyway's JDBC connection must open the very file the pool uses.
 */
class H2SchemaTest extends SchemaTestKit {

    private Path dir;

    @Override
    String name() {
        return "starter_h2";
    }

    @Override
    String url() throws IOException {
        dir = Files.createTempDirectory("starter_h2");
        return "r2dbc:h2:file:///" + dir.toAbsolutePath() + "/db";
    }

    @AfterAll
    void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
