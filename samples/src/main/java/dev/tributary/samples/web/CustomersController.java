package dev.tributary.samples.web;

import dev.tributary.core.Databases;
import dev.tributary.samples.SampleData;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** The customers, straight from the {@code customers} database through its own pool: no federation needed. */
@RestController
@RequestMapping("/api")
class CustomersController {

    private final Databases databases;

    CustomersController(Databases databases) {
        this.databases = databases;
    }

    @GetMapping(value = "/customers", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Flux<Map<String, @Nullable Object>> customers() {
        return databases.get(SampleData.CUSTOMERS)
                .query("SELECT id, name, email, country, signed_up FROM customers ORDER BY id")
                .map(RowJson::toMap);
    }
}
