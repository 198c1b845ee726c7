package dev.tributary.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Runs the console demo's main logic, the one the README's demo command runs, on fresh H2 databases. */
class ConsoleDemoTest {

    private static String h2(String name) {
        return "r2dbc:h2:mem:///demo_test_" + name + "?options=DB_CLOSE_DELAY=-1";
    }

    private static String runDemo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StepVerifier.create(ConsoleDemo.run(out, h2("customers"), h2("orders"))).verifyComplete();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoPrintsTheRowsOfEachDatabase() {
        String output = runDemo();

        assertThat(output)
                .contains("customers (H2): SELECT id, name, country FROM customers ORDER BY id")
                .contains("Ada Lovelace", "Hedy Lamarr", "(12 rows)")
                .contains("orders (H2): SELECT id, customer_id, amount, status FROM orders")
                .contains("(10 rows)");
    }

    @Test
    void demoPrintsThePlanAndRowsOfTheFederatedJoin() {
        String output = runDemo();

        assertThat(output)
                .contains("Federated across both databases: " + ConsoleDemo.GLUE_EXAMPLE)
                .contains("Plan:")
                .containsPattern("Fragment #\\d+ on customers \\(H2\\)")
                .containsPattern("Fragment #\\d+ on orders \\(H2\\)")
                .contains("Rows:")
                .contains("(" + (SampleData.ORDER_COUNT - 1) + " rows)");
    }

    @Test
    void demoPrintsEachPoolsMetricsWithNoConnectionLeftAcquired() {
        String output = runDemo();

        assertThat(output).contains("Pool metrics")
                .containsPattern("customers: \\d+ allocated, 0 acquired, \\d+ idle, 0 pending \\(max \\d+\\)")
                .containsPattern("orders: \\d+ allocated, 0 acquired, \\d+ idle, 0 pending \\(max \\d+\\)");
    }

    @Test
    void demoPrintsEachDatabasesHealth() {
        String output = runDemo();

        assertThat(output).contains("Health")
                .containsPattern("customers: UP, validated in \\d+ ms, circuit breaker CLOSED")
                .containsPattern("orders: UP, validated in \\d+ ms, circuit breaker CLOSED");
    }

    @Test
    void demoCanRunAgainOnDatabasesThatOutlivedTheFirstRun() {
        runDemo();
        String second = runDemo();

        assertThat(second).contains("(12 rows)").doesNotContain("(24 rows)");
    }
}
