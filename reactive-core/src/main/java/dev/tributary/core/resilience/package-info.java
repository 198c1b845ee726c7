/**
 * Circuit breaker, retry and timeout operators that guard the queries of one database.
 *
 * <p>{@link dev.tributary.core.resilience.CircuitBreaker} fails calls at once while a database is down and
 * lets trial calls through when it may be back; {@link dev.tributary.core.resilience.Resilience} composes the
 * breaker with retry-before-the-first-row and statement and query timeouts, as configured by
 * {@link dev.tributary.core.resilience.ResilienceSettings}. Every operator is applied with
 * {@code transformDeferred} and takes its time from a {@link reactor.core.scheduler.Scheduler}, so it can be
 * tested in virtual time.
 */
@NullMarked
package dev.tributary.core.resilience;

import org.jspecify.annotations.NullMarked;
