package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With tributary.samples.log-observations=true a federated request logs its query and each fragment under it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tributary.samples.log-observations=true")
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class ObservationLoggingTest {

    @Autowired
    WebTestClient client;

    @Test
    void obs_aFederatedRequestLogsTheQueryAndItsFragmentsUnderIt(CapturedOutput output) {
        client.get().uri("/api/customers/1").exchange().expectStatus().isOk();
        assertThat(output.getOut())
                .contains("tributary.sql [tributary query federation]")
                .containsPattern("tributary\\.sql \\[tributary fragment customers\\] \\d+ ms under \\[tributary query"
                        + " federation\\]")
                .containsPattern("tributary\\.sql \\[tributary fragment orders\\] \\d+ ms under \\[tributary query"
                        + " federation\\]");
    }
}
