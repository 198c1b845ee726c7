/**
 * Internal: federated writes ({@code Federation.update}). A statement is parsed with the SQL front end, its
 * tables resolved through the catalog, and it is then routed whole to one database, or run as a streamed
 * {@code INSERT ... SELECT}, or as an UPDATE/DELETE whose {@code IN (SELECT ...)} keys come from other databases.
 */
@NullMarked
package dev.tributary.federation.dml;

import org.jspecify.annotations.NullMarked;
