package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.samples.SampleData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The shop endpoints, each a federated query over the two H2 in-memory databases of the default profile. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureMetrics
class ShopEndpointsTest {

    @Autowired
    WebTestClient client;

    @Test
    void customerComesWithTheirOrdersFromTheOtherDatabase() {
        List<Integer> expectedIds = new ArrayList<>();
        BigDecimal expectedTotal = BigDecimal.ZERO;
        for (Object[] o : SampleData.orders()) {
            if (o[1].equals(1)) {
                expectedIds.add((Integer) o[0]);
                expectedTotal = expectedTotal.add((BigDecimal) o[2]);
            }
        }

        client.get().uri("/api/customers/1").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Ada Lovelace")
                .jsonPath("$.country").isEqualTo("GB")
                .jsonPath("$.orders[*].id").isEqualTo(expectedIds)
                .jsonPath("$.orders[0].orderedAt").isEqualTo("2024-01-03T22:00:00")
                .jsonPath("$.total").isEqualTo(expectedTotal.doubleValue());
    }

    @Test
    void customerWithoutOrdersHasAnEmptyListAndZeroTotal() {
        client.get().uri("/api/customers/" + SampleData.CUSTOMER_WITHOUT_ORDERS).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Hedy Lamarr")
                .jsonPath("$.orders.length()").isEqualTo(0)
                .jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void unknownCustomerIsA404Problem() {
        client.get().uri("/api/customers/999").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").isEqualTo("No customer with id 999");
    }

    @Test
    void ordersStreamAsNdjsonOneObjectPerLine() {
        List<Map<String, Object>> orders = client.get().uri("/api/orders").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(Expected.JSON_OBJECT)
                .getResponseBody().collectList().block();

        Map<Object, Map<String, Object>> byId = new TreeMap<>();
        orders.forEach(order -> byId.put(order.get("id"), order));
        assertThat(orders).hasSize(SampleData.ORDER_COUNT);
        assertThat(byId).hasSize(SampleData.ORDER_COUNT);
        assertThat(byId.get(1)).containsEntry("customer", "Ada Lovelace").containsEntry("country", "GB");
        assertThat(byId.get(SampleData.ORDER_COUNT))
                .containsEntry("customer_id", SampleData.UNKNOWN_CUSTOMER_ID)
                .containsEntry("customer", null);
    }

    @Test
    void ordersAsAJsonArray() {
        client.get().uri("/api/orders").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(SampleData.ORDER_COUNT)
                .jsonPath("$[?(@.id == 2)].customer").isEqualTo(List.of("Grace Hopper"));
    }

    @Test
    void revenuePerCountryAddsUpEveryOrderThatWasNotCancelledHighestFirst() {
        Map<Integer, String> countries = Expected.countryByCustomer();
        Map<String, BigDecimal> revenue = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (Object[] o : SampleData.orders()) {
            String country = countries.get((Integer) o[1]);
            if (country != null && !o[3].equals("CANCELLED")) {
                revenue.merge(country, (BigDecimal) o[2], BigDecimal::add);
                counts.merge(country, 1L, Long::sum);
            }
        }
        List<String> expectedOrder = new ArrayList<>(revenue.keySet());
        expectedOrder.sort(Comparator.comparing(revenue::get).reversed());

        List<Map<String, Object>> rows = client.get().uri("/api/revenue-by-country").exchange()
                .expectStatus().isOk()
                .expectBodyList(Expected.JSON_OBJECT).returnResult().getResponseBody();

        assertThat(rows).extracting(r -> r.get("country")).containsExactlyElementsOf(expectedOrder);
        for (Map<String, Object> row : rows) {
            String country = (String) row.get("country");
            assertThat(new BigDecimal(row.get("revenue").toString())).isEqualByComparingTo(revenue.get(country));
            assertThat(((Number) row.get("orders")).longValue()).isEqualTo(counts.get(country));
        }
    }
}
