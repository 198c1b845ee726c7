package dev.tributary.federation;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a {@link Federation}, built with a validating {@link #builder()}.
 *
 * <ul>
 *   <li>{@code memoryBudget}: bytes a query's hash-join build sides and sorts may hold (default
 *       {@value #DEFAULT_MEMORY_BUDGET}, 256 MiB); past it the query fails with
 *       {@link MemoryBudgetExceededException}.</li>
 *   <li>{@code dynamicFilterMaxKeys}: a join whose build side is estimated, and found, to have at most this
 *       many distinct keys pushes them into the probe fragment (default {@value #DEFAULT_DYNAMIC_FILTER_MAX_KEYS};
 *       0 turns dynamic filtering off).</li>
 *   <li>{@code probePrefetch}: the most probe rows requested from a fragment at a time (default
 *       {@value #DEFAULT_PROBE_PREFETCH}).</li>
 *   <li>{@code inListBatchSize}: keys per {@code IN (...)} list of a dynamic filter outside PostgreSQL; more
 *       keys run as several fragments whose rows are concatenated (default {@value #DEFAULT_IN_LIST_BATCH_SIZE}); also
 *       the keys per statement of a federated {@code UPDATE/DELETE ... IN (SELECT ...)}.</li>
 *   <li>{@code writeBatchSize}: rows per batch of a federated {@code INSERT ... SELECT} (default
 *       {@value #DEFAULT_WRITE_BATCH_SIZE}); the next batch is read only after the previous one was written.</li>
 *   <li>{@code catalogMaxAge}: how long a database's loaded catalog is used before the next query naming one of
 *       its tables reads it again (keeping the old one if that read fails); {@code null} (the default) keeps it
 *       until {@link Federation#refreshCatalog()}.</li>
 * </ul>
 */
public final class FederationOptions {

    /** The default memory budget per query: 256 MiB. */
    public static final long DEFAULT_MEMORY_BUDGET = 256L * 1024 * 1024;
    /** The default dynamic-filter threshold. */
    public static final int DEFAULT_DYNAMIC_FILTER_MAX_KEYS = 10_000;
    /** The default probe prefetch. */
    public static final int DEFAULT_PROBE_PREFETCH = 256;
    /** The default number of keys per IN list. */
    public static final int DEFAULT_IN_LIST_BATCH_SIZE = 1000;
    /** The default number of rows per batch of a federated INSERT ... SELECT. */
    public static final int DEFAULT_WRITE_BATCH_SIZE = 500;

    private static final FederationOptions DEFAULTS = builder().build();

    private final long memoryBudget;
    private final int dynamicFilterMaxKeys;
    private final int probePrefetch;
    private final int inListBatchSize;
    private final int writeBatchSize;
    private final @Nullable Duration catalogMaxAge;

    private FederationOptions(Builder b) {
        this.memoryBudget = b.memoryBudget;
        this.dynamicFilterMaxKeys = b.dynamicFilterMaxKeys;
        this.probePrefetch = b.probePrefetch;
        this.inListBatchSize = b.inListBatchSize;
        this.writeBatchSize = b.writeBatchSize;
        this.catalogMaxAge = b.catalogMaxAge;
    }

    /** The default options. */
    public static FederationOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.memoryBudget = memoryBudget;
        b.dynamicFilterMaxKeys = dynamicFilterMaxKeys;
        b.probePrefetch = probePrefetch;
        b.inListBatchSize = inListBatchSize;
        b.writeBatchSize = writeBatchSize;
        b.catalogMaxAge = catalogMaxAge;
        return b;
    }

    /** Bytes a query may hold in build sides and sorts. */
    public long memoryBudget() {
        return memoryBudget;
    }

    /** The most distinct build keys pushed into a probe fragment; 0 when dynamic filtering is off. */
    public int dynamicFilterMaxKeys() {
        return dynamicFilterMaxKeys;
    }

    /** The most probe rows requested at a time. */
    public int probePrefetch() {
        return probePrefetch;
    }

    /** Keys per IN list of a dynamic filter outside PostgreSQL. */
    public int inListBatchSize() {
        return inListBatchSize;
    }

    /** Rows per batch of a federated INSERT ... SELECT. */
    public int writeBatchSize() {
        return writeBatchSize;
    }

    /** How long the catalog is kept; {@code null} until refreshed on request. */
    public @Nullable Duration catalogMaxAge() {
        return catalogMaxAge;
    }

    @Override
    public String toString() {
        return "FederationOptions{memoryBudget=" + memoryBudget + ", dynamicFilterMaxKeys=" + dynamicFilterMaxKeys
                + ", probePrefetch=" + probePrefetch + ", inListBatchSize=" + inListBatchSize
                + ", writeBatchSize=" + writeBatchSize
                + ", catalogMaxAge=" + catalogMaxAge + "}";
    }

    /** A validating builder; every setter checks its argument. */
    public static final class Builder {
        private long memoryBudget = DEFAULT_MEMORY_BUDGET;
        private int dynamicFilterMaxKeys = DEFAULT_DYNAMIC_FILTER_MAX_KEYS;
        private int probePrefetch = DEFAULT_PROBE_PREFETCH;
        private int inListBatchSize = DEFAULT_IN_LIST_BATCH_SIZE;
        private int writeBatchSize = DEFAULT_WRITE_BATCH_SIZE;
        private @Nullable Duration catalogMaxAge;

        private Builder() {
        }

        /**
         * Bytes a query may hold.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder memoryBudget(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryBudget must be positive, was " + bytes);
            }
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * The dynamic-filter threshold; 0 turns dynamic filtering off.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder dynamicFilterMaxKeys(int keys) {
            if (keys < 0) {
                throw new IllegalArgumentException("dynamicFilterMaxKeys must be >= 0, was " + keys);
            }
            this.dynamicFilterMaxKeys = keys;
            return this;
        }

        /**
         * The most probe rows requested at a time.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder probePrefetch(int rows) {
            if (rows <= 0) {
                throw new IllegalArgumentException("probePrefetch must be positive, was " + rows);
            }
            this.probePrefetch = rows;
            return this;
        }

        /**
         * Keys per IN list.
         *
         * @throws IllegalArgumentException if not between 1 and 30000
         */
        public Builder inListBatchSize(int keys) {
            if (keys <= 0 || keys > 30_000) {
                throw new IllegalArgumentException("inListBatchSize must be between 1 and 30000, was " + keys);
            }
            this.inListBatchSize = keys;
            return this;
        }

        /**
         * Rows per batch of a federated INSERT ... SELECT.
         *
         * @throws IllegalArgumentException if not between 1 and 100000
         */
        public Builder writeBatchSize(int rows) {
            if (rows <= 0 || rows > 100_000) {
                throw new IllegalArgumentException("writeBatchSize must be between 1 and 100000, was " + rows);
            }
            this.writeBatchSize = rows;
            return this;
        }

        /**
         * How long a loaded catalog is used; {@code null} keeps it until {@link Federation#refreshCatalog()}.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder catalogMaxAge(@Nullable Duration maxAge) {
            if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
                throw new IllegalArgumentException("catalogMaxAge must be positive, was " + maxAge);
            }
            this.catalogMaxAge = maxAge;
            return this;
        }

        /** The options. */
        public FederationOptions build() {
            return new FederationOptions(this);
        }
    }
}
