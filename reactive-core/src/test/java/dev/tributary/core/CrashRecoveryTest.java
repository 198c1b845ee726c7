package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A separate JVM ({@link CrashChild}) runs transfers across PostgreSQL, MariaDB and an H2 file database and is killed
 * with SIGKILL ({@code Process.destroyForcibly()}): while it runs concurrent transfers, and at given points of the
 * protocol. A new registry with the same node id then recovers: the total is conserved, every transfer the child saw
 * complete is in every database it touched, every transfer is in all of its databases or in none, and no branch is
 * left in doubt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long INITIAL = 1000;
    private Path dir;
    private String h2File;

    @BeforeAll
    void createFiles() throws Exception {
        dir = Files.createTempDirectory("tx_crash");
        h2File = dir.resolve("h2").toAbsolutePath().toString();
    }

    @AfterAll
    void deleteFiles() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private Databases open() {
        return CrashChild.registry(h2File, TransactionHooks.NONE).build();
    }

    @BeforeEach
    void resetAccounts() {
        Databases dbs = open();
        try {
            dbs.recover().block(TIMEOUT);
            for (String name : CrashChild.DBS) {
                Database db = dbs.get(name);
                db.update("CREATE TABLE IF NOT EXISTS tx_crash_acct (id INT PRIMARY KEY, balance BIGINT NOT NULL)")
                        .then(db.update("CREATE TABLE IF NOT EXISTS tx_crash_journal (id VARCHAR(40) PRIMARY KEY)"))
                        .then(db.update("DELETE FROM tx_crash_acct"))
                        .then(db.update("DELETE FROM tx_crash_journal"))
                        .block(TIMEOUT);
                List<Object[]> rows = new ArrayList<>();
                for (int i = 1; i <= CrashChild.ACCOUNTS; i++) {
                    rows.add(new Object[] {i, INITIAL});
                }
                db.batch("INSERT INTO tx_crash_acct (id, balance) VALUES (" + db.dialect().bindMarker(0) + ", "
                        + db.dialect().bindMarker(1) + ")", rows).block(TIMEOUT);
            }
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }

    /** Starts the child, reads its lines until {@code until} holds for the lines so far, kills it, returns them. */
    private List<String> runAndKill(String mode, Predicate<List<String>> until) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), mode, h2File)
                .redirectError(dir.resolve("child-" + mode + ".err").toFile())
                .start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> reached = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (until.test(lines)) {
                        reached.complete(null);
                    }
                }
            } catch (Exception e) {
                // the stream ends when the child is killed
            }
            reached.complete(null);
        });
        reader.start();
        try {
            reached.get(60, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
        if (!until.test(lines)) {
            String err = Files.readString(dir.resolve("child-" + mode + ".err"));
            throw new AssertionError("the child did not reach the point; its output: " + lines + "; its errors: "
                    + err.substring(0, Math.min(4000, err.length())));
        }
        return lines;
    }

    private void assertConsistentAfterRecovery(Set<String> seenComplete, RecoveryCheck check) {
        Databases dbs = open();
        try {
            RecoveryReport report = dbs.recover().block(TIMEOUT);
            assertThat(report.unreachable()).isEmpty();
            check.accept(report);
            long total = 0;
            Set<String> journals = ConcurrentHashMap.newKeySet();
            java.util.Map<String, Set<String>> byDb = new java.util.HashMap<>();
            for (String name : CrashChild.DBS) {
                Database db = dbs.get(name);
                total += db.query("SELECT SUM(balance) FROM tx_crash_acct", Long.class).single().block(TIMEOUT);
                Set<String> ids = Set.copyOf(db.query("SELECT id FROM tx_crash_journal", String.class).collectList().block(TIMEOUT));
                byDb.put(name, ids);
                journals.addAll(ids);
                assertThat(TxFixture.inDoubt(dbs, name)).as("in doubt in " + name).isEmpty();
            }
            assertThat(total).as("total over the three databases").isEqualTo(INITIAL * CrashChild.ACCOUNTS * 3);
            assertThat(journals).containsAll(seenComplete);
            // all or nothing: a transfer's id names its databases ("t17.pg.maria"); it is in every one or in none
            for (String id : journals) {
                List<String> touched = id.equals("marker") ? CrashChild.DBS
                        : List.of(id.substring(id.indexOf('.') + 1).split("\\."));
                for (String name : touched) {
                    assertThat(byDb.get(name)).as(id + " in " + name).contains(id);
                }
            }
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }

    interface RecoveryCheck extends java.util.function.Consumer<RecoveryReport> {
    }

    @Test
    void aChildKilledDuringConcurrentTransfersLosesNothingItSawComplete() throws Exception {
        List<String> lines = runAndKill("run", l -> l.stream().filter(s -> s.startsWith("DONE")).count() >= 40);
        Set<String> done = ConcurrentHashMap.newKeySet();
        lines.stream().filter(s -> s.startsWith("DONE ")).forEach(s -> done.add(s.substring(5)));
        assertConsistentAfterRecovery(done, report -> { });
    }

    @Test
    void aChildKilledAfterEveryPrepareIsRolledBack() throws Exception {
        runAndKill("BEFORE_DECISION", l -> l.stream().anyMatch(s -> s.startsWith("MARKER")));
        assertConsistentAfterRecovery(Set.of(), report -> assertThat(report.rolledBack()).hasSize(3));
        assertJournalHasMarker(false);
    }

    @Test
    void aChildKilledAfterTheDecisionIsCommitted() throws Exception {
        runAndKill("AFTER_DECISION", l -> l.stream().anyMatch(s -> s.startsWith("MARKER")));
        assertConsistentAfterRecovery(Set.of("marker"), report -> assertThat(report.committed()).hasSize(3));
        assertJournalHasMarker(true);
    }

    @Test
    void aChildKilledBetweenCommitsIsCommitted() throws Exception {
        runAndKill("COMMIT", l -> l.stream().anyMatch(s -> s.startsWith("MARKER")));
        // the commits run concurrently: when MariaDB's stops, the others may or may not have committed yet
        assertConsistentAfterRecovery(Set.of("marker"), report -> assertThat(report.committed()).hasSizeBetween(1, 3)
                .anyMatch(b -> b.startsWith(TxFixture.MARIA + ":")));
        assertJournalHasMarker(true);
    }

    @Test
    void aSagaKilledBetweenCommitsIsCompensatedByRecovery() throws Exception {
        runAndKill("SAGA_COMMIT", l -> l.stream().anyMatch(s -> s.startsWith("MARKER")));
        assertConsistentAfterRecovery(Set.of(), report -> assertThat(report.compensated()).hasSize(1)
                .allMatch(c -> c.startsWith(TxFixture.PG + ":")));
        assertJournalHasMarker(false);
        Databases dbs = open();
        try {
            assertThat(dbs.recover().block(TIMEOUT).compensated()).as("compensated once").isEmpty();
        } finally {
            dbs.close().block(TIMEOUT);
        }
        assertJournalHasMarker(false);
    }

    private void assertJournalHasMarker(boolean present) {
        Databases dbs = open();
        try {
            for (String name : CrashChild.DBS) {
                assertThat(dbs.get(name).query("SELECT COUNT(*) FROM tx_crash_journal WHERE id = 'marker'", Long.class)
                        .single().block(TIMEOUT)).as(name).isEqualTo(present ? 1 : 0);
            }
            assertThat(dbs.get(TxFixture.PG).query("SELECT balance FROM tx_crash_acct WHERE id = 1", Long.class).single()
                    .block(TIMEOUT)).isEqualTo(present ? INITIAL - 7 : INITIAL);
            assertThat(dbs.get(TxFixture.H2).query("SELECT balance FROM tx_crash_acct WHERE id = 2", Long.class)
                    .single().block(TIMEOUT)).isEqualTo(present ? INITIAL + 7 : INITIAL);
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }
}
