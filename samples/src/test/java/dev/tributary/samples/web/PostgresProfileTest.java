package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Databases;
import dev.tributary.core.Dialect;
import dev.tributary.samples.SampleData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The {@code postgres} profile: orders on the PostgreSQL server and customers on the MariaDB server of the
 * integration tests, seeded at startup, and the same answers as on H2. The URLs are the profile's, moved into
 * a schema and a database of the samples' own ({@link TestServers}) so the seeded tables meet no other test's.
 * Fails, not skips, when a server is not running.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("postgres")
class PostgresProfileTest {

    @DynamicPropertySource
    static void ownPlaceOnEachServer(DynamicPropertyRegistry registry) {
        String orders = TestServers.postgresSchema("samples_profile");
        String customers = TestServers.mariadbDatabase("samples_profile");
        registry.add("tributary.databases.orders.url", () -> orders);
        registry.add("tributary.databases.customers.url", () -> customers);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    Databases databases;

    @Test
    void ordersLiveOnPostgresqlAndCustomersOnMariadb() {
        assertThat(databases.get("orders").dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(databases.get("customers").dialect()).isEqualTo(Dialect.MARIADB);
    }

    @Test
    void customerWithOrdersIsJoinedAcrossMariadbAndPostgresql() {
        client.get().uri("/api/customers/1").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Ada Lovelace")
                .jsonPath("$.signedUp").isEqualTo("2023-01-09")
                .jsonPath("$.orders[*].id").isEqualTo(List.of(1, 12, 23, 34))
                .jsonPath("$.orders[0].orderedAt").isEqualTo("2024-01-03T22:00:00");
    }

    @Test
    void ordersStreamWithTheirCustomersAndHealthIsUp() {
        client.get().uri("/api/orders").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(SampleData.ORDER_COUNT);
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.tributary.components.customers.status").isEqualTo("UP")
                .jsonPath("$.components.tributary.components.orders.status").isEqualTo("UP");
    }
}
