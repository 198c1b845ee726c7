/**
 * A Spring Boot WebFlux application over Tributary: federated SQL endpoints, reactive health indicators
 * per database and Micrometer metrics. Start it with {@link dev.tributary.samples.web.SampleApplication}.
 */
@NullMarked
package dev.tributary.samples.web;

import org.jspecify.annotations.NullMarked;
