package dev.tributary.federation;

import dev.tributary.core.Databases;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.catalog.CatalogLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The catalog of each database, read on its own and on demand: a database is read when a query first names one
 * of its tables (every database, for a bare table name), so a database that is down fails only the queries over
 * its tables. A failed database is read again by a query naming it at most every {@link #RETRY}; with a maximum
 * age, a loaded catalog past it is read again on the next query naming it (and kept in use if that fails).
 * Concurrent queries share one read per database.
 */
final class CatalogCache {

    /** How soon a database whose catalog failed to load is read again. */
    static final Duration RETRY = Duration.ofSeconds(2);

    /** What is known of one database's catalog. */
    private record Entry(Catalog.@Nullable DatabaseTables tables, @Nullable Instant loadedAt, @Nullable Duration loadTime,
            long loadedAtNanos, @Nullable Throwable error, @Nullable Instant nextAttempt, long nextAttemptNanos) {
        static final Entry NOT_LOADED = new Entry(null, null, null, 0, null, null, 0);
    }

    /** A catalog snapshot and the instant (nanoTime) until which it stays the one to plan with. */
    private record Snapshot(Catalog catalog, long validUntilNanos) {
    }

    private final Databases databases;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Mono<Void>> loading = new ConcurrentHashMap<>();
    private volatile @Nullable Snapshot snapshot;

    CatalogCache(Databases databases, @Nullable Duration maxAge) {
        this(databases, maxAge, System::nanoTime);
    }

    /** With the monotonic clock that times the retry interval and the maximum age (tests pass their own). */
    CatalogCache(Databases databases, @Nullable Duration maxAge, LongSupplier nanoTime) {
        this.databases = databases;
        this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The catalog to plan with now: the loaded databases, the failed ones (until their next attempt) and the ones
     * to read first (pending). The same instance is returned while nothing changed, so plans cached against it
     * stay valid.
     */
    Catalog catalog() {
        long now = nanoTime.getAsLong();
        Snapshot s = snapshot;
        if (s != null && now - s.validUntilNanos() < 0) {
            return s.catalog();
        }
        Map<String, Catalog.DatabaseTables> loaded = new HashMap<>();
        Map<String, Throwable> unavailable = new HashMap<>();
        Set<String> pending = new HashSet<>();
        long validUntil = now + Long.MAX_VALUE / 2;
        for (String name : databases.names()) {
            Entry e = entries.getOrDefault(name, Entry.NOT_LOADED);
            boolean waiting = e.error() != null && now - e.nextAttemptNanos() < 0;
            if (waiting) {
                validUntil = earlier(validUntil, e.nextAttemptNanos());
            }
            if (e.tables() != null) {
                loaded.put(name, e.tables());
                boolean expired = maxAgeNanos != Long.MAX_VALUE && now - e.loadedAtNanos() >= maxAgeNanos;
                if (expired && !waiting) {
                    pending.add(name);
                } else if (maxAgeNanos != Long.MAX_VALUE) {
                    validUntil = earlier(validUntil, e.loadedAtNanos() + maxAgeNanos);
                }
            } else if (waiting) {
                unavailable.put(name, e.error());
            } else {
                pending.add(name);
            }
        }
        for (String name : pending) {
            loaded.remove(name);
        }
        Catalog catalog = new Catalog(loaded, databases.aliases(), unavailable, pending);
        snapshot = new Snapshot(catalog, validUntil);
        return catalog;
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    /** Reads the catalogs of {@code names}, each on its own; completes (never with an error) when all were tried. */
    Mono<Void> load(Set<String> names) {
        return Flux.fromIterable(names).flatMap(this::load).then();
    }

    /** Reads every database's catalog again. */
    Mono<Void> loadAll() {
        return load(Set.copyOf(databases.names()));
    }

    private Mono<Void> load(String name) {
        return loading.computeIfAbsent(name, n -> {
            long start = nanoTime.getAsLong();
            return CatalogLoader.load(databases.get(n))
                    .doOnNext(tables -> {
                        long end = nanoTime.getAsLong();
                        update(n, new Entry(tables, Instant.now(), Duration.ofNanos(end - start), end, null, null, 0));
                    })
                    .onErrorResume(error -> {
                        Entry old = entries.getOrDefault(n, Entry.NOT_LOADED);
                        update(n, new Entry(old.tables(), old.loadedAt(), old.loadTime(), old.loadedAtNanos(), error,
                                Instant.now().plus(RETRY), nanoTime.getAsLong() + RETRY.toNanos()));
                        return Mono.empty();
                    })
                    .then()
                    // removed before the completion reaches anyone (doFinally would run after it): a caller that
                    // saw this read end and asks again must start a new read, not get this finished one back
                    .doOnTerminate(() -> loading.remove(n))
                    .cache();
        });
    }

    private void update(String name, Entry entry) {
        entries.put(name, entry);
        snapshot = null;
    }

    /** The state of every registered database's catalog, in registry order. */
    List<CatalogStatus> status() {
        List<CatalogStatus> all = new ArrayList<>();
        for (String name : databases.names()) {
            Entry e = entries.getOrDefault(name, Entry.NOT_LOADED);
            CatalogStatus.State state = e.tables() != null ? CatalogStatus.State.LOADED
                    : e.error() != null ? CatalogStatus.State.FAILED : CatalogStatus.State.NOT_LOADED;
            int tables = e.tables() == null ? 0 : e.tables().tables().values().stream().mapToInt(List::size).sum();
            all.add(new CatalogStatus(name, state, tables, e.loadedAt(), e.loadTime(), e.error(), e.nextAttempt()));
        }
        return List.copyOf(all);
    }
}
