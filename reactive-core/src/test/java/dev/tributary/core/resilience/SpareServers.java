package dev.tributary.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The spare servers of {@code .ci/spare-servers} (PostgreSQL on 127.0.0.1:5433, MariaDB on 127.0.0.1:3307), which
 * tests may stop and start; the main servers stay up for everything else. Each command returns when the server is
 * stopped, or accepting connections.
 */
final class SpareServers {

    static final String PG_URL = "r2dbc:postgresql://postgres@127.0.0.1:5433/test";
    static final String MARIADB_URL = "r2dbc:mariadb://root@127.0.0.1:3307/test";

    private SpareServers() {
    }

    /** Runs {@code .ci/spare-servers <command>} (up, pg-stop, pg-start, maria-stop, maria-start) and waits for it. */
    static void run(String command) {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        Path script = root.resolve(".ci/spare-servers");
        assertThat(Files.isRegularFile(script)).as("the script %s", script).isTrue();
        try {
            Process process = new ProcessBuilder("bash", script.toString(), command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(".ci/spare-servers %s finished", command).isTrue();
            assertThat(process.exitValue()).as(".ci/spare-servers %s exit status", command).isZero();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
