package dev.tributary.samples.web;

import dev.tributary.samples.SampleData;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.ParameterizedTypeReference;

/** What the endpoint tests expect, worked out from {@link SampleData} independently of Tributary. */
final class Expected {

    /** One JSON object of a JSON array or an NDJSON stream. */
    static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    private Expected() {
    }

    /** Each customer's country, by customer id. */
    static Map<Integer, String> countryByCustomer() {
        Map<Integer, String> countries = new TreeMap<>();
        for (Object[] c : SampleData.customers()) {
            countries.put((Integer) c[0], (String) c[3]);
        }
        return countries;
    }
}
