package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.samples.SampleData;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The free-form read-only SQL endpoint and explain, on the default profile's two H2 in-memory databases. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureMetrics
class SqlEndpointTest {

    @Autowired
    WebTestClient client;

    private WebTestClient.ResponseSpec sql(MediaType accept, String sql, Object params) {
        return client.post().uri("/api/sql").accept(accept).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(params == null ? Map.of("sql", sql) : Map.of("sql", sql, "params", params))
                .exchange();
    }

    @Test
    void sqlRunsAFederatedJoinWithNamedParameters() {
        long expected = SampleData.orders().stream()
                .filter(o -> Expected.countryByCustomer().containsKey((Integer) o[1]))
                .filter(o -> ((BigDecimal) o[2]).compareTo(new BigDecimal("400")) > 0)
                .count();

        sql(MediaType.APPLICATION_JSON,
                "SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.amount > :min",
                Map.of("min", 400))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo((int) expected)
                .jsonPath("$[0].name").exists()
                .jsonPath("$[0].amount").exists();
    }

    @Test
    void sqlTakesPositionalParametersAndStreamsNdjson() {
        List<Map<String, Object>> rows = sql(MediaType.APPLICATION_NDJSON,
                "SELECT c.name, o.id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.country = ? ORDER BY o.id",
                List.of("DE"))
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(Expected.JSON_OBJECT).getResponseBody().collectList().block();

        assertThat(rows).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("name")).isIn("Konrad Zuse", "Grete Hermann"));
        assertThat(rows).extracting(r -> ((Number) r.get("id")).intValue()).isSorted();
    }

    @Test
    void badSqlIsA400ProblemWithTributarysMessage() {
        sql(MediaType.APPLICATION_JSON, "SELECT name FROM customers WHERE", null)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.title").exists()
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void unknownTableIsA400ProblemNamingTheTable() {
        sql(MediaType.APPLICATION_JSON, "SELECT * FROM invoices", null)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Unknown table")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).containsIgnoringCase("invoices"));
    }

    @Test
    void problemIsReturnedEvenWhenNdjsonWasAsked() {
        sql(MediaType.APPLICATION_NDJSON, "SELECT * FROM invoices", null)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void nonSelectIsRefusedAndChangesNothing() {
        sql(MediaType.APPLICATION_JSON, "DELETE FROM customers", null)
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Only read-only queries are accepted")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("DELETE"));

        client.get().uri("/api/customers").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(SampleData.CUSTOMER_COUNT);
    }

    @Test
    void explainShowsTheFragmentSentToEachDatabaseAndTheJoin() {
        String plan = client.post().uri("/api/explain").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sql", "SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(plan).containsIgnoringCase("join").contains("customers").contains("orders");
    }

    @Test
    void parametersThatDoNotFitTheSqlAreA400Problem() {
        sql(MediaType.APPLICATION_JSON, "SELECT name FROM customers WHERE id = :id", Map.of("wrong", 1))
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("id"));
    }

    @Test
    void unknownColumnIsA400ProblemNamingTheColumn() {
        sql(MediaType.APPLICATION_JSON, "SELECT c.shoe_size FROM customers c", null)
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.title").isEqualTo("Unknown column")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("shoe_size"));
    }
}
