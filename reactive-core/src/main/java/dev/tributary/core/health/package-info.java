/**
 * Health reports of databases: {@link dev.tributary.core.health.HealthReport} (UP, DEGRADED, DOWN with details)
 * as {@link dev.tributary.core.health.HealthSettings} define them, and an optional Micrometer binder,
 * {@link dev.tributary.core.health.TributaryMetrics}, the only class here that needs Micrometer on the classpath.
 */
@NullMarked
package dev.tributary.core.health;

import org.jspecify.annotations.NullMarked;
