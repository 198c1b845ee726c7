package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.DatabaseUnavailableException;
import dev.tributary.core.Databases;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * A third database, {@code inventory}, on the PostgreSQL server of the integration tests (in a schema of the
 * samples' own, see {@link TestServers}), reached through a TCP proxy this test cuts. The application then
 * reports it DOWN on {@code /actuator/health}, answers queries that need it with a 503 problem and keeps
 * serving queries over the two H2 databases; once queries keep failing, its circuit breaker opens. Fails, not
 * skips, when PostgreSQL is not running ({@code TRIBUTARY_PG_URL} overrides the server).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DatabaseDownTest {

    private static TcpProxy proxy;

    @DynamicPropertySource
    static void inventoryBehindAProxy(DynamicPropertyRegistry registry) throws IOException {
        String pgUrl = TestServers.postgresSchema("samples_down");
        ConnectionFactoryOptions pg = ConnectionFactoryOptions.parse(pgUrl);
        String host = (String) pg.getRequiredValue(ConnectionFactoryOptions.HOST);
        Object port = pg.getValue(ConnectionFactoryOptions.PORT);
        proxy = TcpProxy.to(host, port == null ? 5432 : Integer.parseInt(port.toString()));
        String proxied = pgUrl.replaceFirst("//(?<user>[^@/]*@)?[^/]+/", "//${user}127.0.0.1:" + proxy.port() + "/");
        registry.add("tributary.databases.inventory.url", () -> proxied);
    }

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    Databases databases;

    @Test
    void aDatabaseThatGoesAwayIsReportedDownItsBreakerOpensAndTheOthersStayUp() {
        StepVerifier.create(databases.get("inventory")
                        .update("CREATE TABLE IF NOT EXISTS samples_stock (sku VARCHAR(20) PRIMARY KEY, quantity INT)"))
                .expectNextCount(1).verifyComplete();
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.tributary.components.inventory.status").isEqualTo("UP");
        client.get().uri("/api/customers/1").exchange().expectStatus().isOk();

        proxy.cut();

        client.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.tributary.components.inventory.status").isEqualTo("DOWN")
                .jsonPath("$.components.tributary.components.inventory.details.lastError").isNotEmpty()
                .jsonPath("$.components.tributary.components.customers.status").isEqualTo("UP")
                .jsonPath("$.components.tributary.components.orders.status").isEqualTo("UP");

        client.get().uri("/api/customers").exchange().expectStatus().isOk();
        client.get().uri("/api/customers/1").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.orders.length()").isEqualTo(4);
        client.post().uri("/api/sql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sql\": \"SELECT * FROM inventory.samples_stock\"}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Database unavailable")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("inventory"));

        // queries keep failing on the lost database: its circuit breaker opens and fails them at once
        Database inventory = databases.get("inventory");
        for (int i = 0; i < 5; i++) {
            StepVerifier.create(inventory.query("SELECT 1")).expectError().verify(Duration.ofSeconds(30));
        }

        StepVerifier.create(inventory.query("SELECT 1"))
                .expectError(DatabaseUnavailableException.class)
                .verify(Duration.ofSeconds(5));
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody()
                .jsonPath("$.components.tributary.components.inventory.status").isEqualTo("DOWN")
                .jsonPath("$.components.tributary.components.inventory.details.circuitBreaker").isEqualTo("OPEN")
                .jsonPath("$.components.tributary.components.orders.details.circuitBreaker").isEqualTo("CLOSED");
    }
}
