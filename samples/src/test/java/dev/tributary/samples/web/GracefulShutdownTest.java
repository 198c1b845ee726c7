package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Databases;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Stopping the application closes the Tributary registry: every pool is disposed. */
class GracefulShutdownTest {

    @Test
    void closingTheApplicationClosesTheRegistry() {
        ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
                "--server.port=0",
                "--tributary.databases.customers.url=r2dbc:h2:mem:///shutdown_customers?options=DB_CLOSE_DELAY=-1",
                "--tributary.databases.orders.url=r2dbc:h2:mem:///shutdown_orders?options=DB_CLOSE_DELAY=-1");
        Databases databases = context.getBean(Databases.class);
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .get().uri("/api/customers").exchange().expectStatus().isOk();
        assertThat(databases.get("customers").poolMetrics().allocated()).isPositive();

        context.close();

        assertThatThrownBy(() -> databases.get("customers")).hasMessageContaining("closed");
    }
}
