package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.samples.SampleData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The application on its default profile (two H2 in-memory databases): customers, health, metrics, problems. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureMetrics
class HealthAndMetricsTest {

    @Autowired
    WebTestClient client;

    @Test
    void customersListsEveryCustomerFromTheCustomersDatabase() {
        client.get().uri("/api/customers").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(SampleData.CUSTOMER_COUNT)
                .jsonPath("$[0].name").isEqualTo("Ada Lovelace")
                .jsonPath("$[0].signed_up").isEqualTo("2023-01-09");
    }

    @Test
    void healthIsUpWithEachDatabaseAndItsPoolAsDetails() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.tributary.components.customers.status").isEqualTo("UP")
                .jsonPath("$.components.tributary.components.orders.status").isEqualTo("UP")
                .jsonPath("$.components.tributary.components.orders.details.maxAllocated").isNumber()
                .jsonPath("$.components.tributary.components.orders.details.validationMillis").isNumber()
                .jsonPath("$.components.tributary.components.orders.details.circuitBreaker").isEqualTo("CLOSED");
    }

    @Test
    void poolMetricsAreExposedPerDatabase() {
        client.get().uri("/actuator/metrics/r2dbc.pool.acquired?tag=name:orders").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.measurements[0].value").isEqualTo(0.0);

        String prometheus = client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).contains("r2dbc_pool_acquired_connections{name=\"customers\"}");
    }

    @Test
    void unknownRouteIsAProblemToo() {
        client.get().uri("/api/nothing-here").exchange()
                .expectStatus().isEqualTo(HttpStatus.NOT_FOUND)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
