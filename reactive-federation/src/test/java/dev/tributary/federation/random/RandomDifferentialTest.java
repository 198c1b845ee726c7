package dev.tributary.federation.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tributary.core.Row;
import dev.tributary.federation.Federation;
import dev.tributary.federation.FederationOptions;
import dev.tributary.federation.ShopFixture;
import dev.tributary.federation.random.RandomQueryGenerator.GeneratedQuery;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized differential testing: {@link RandomQueryGenerator} queries run federated (dynamic filters on, with
 * small IN-list batches; and off) must return the rows PostgreSQL returns with every table in one schema, as a
 * multiset, or in order where the ORDER BY covers every output column.
 *
 * <p>System properties: {@code tributary.random.seed} (default {@value #DEFAULT_SEED}), {@code tributary.random.count}
 * (default {@value #DEFAULT_COUNT}), {@code tributary.random.query} (run that query number only), and
 * {@code tributary.random.features} ({@code all}, or a comma-separated list of {@link Feature} names; default
 * {@link #SUPPORTED}). A failure names the seed, the query number, the SQL and a command that replays it.
 */
class RandomDifferentialTest {

    static final long DEFAULT_SEED = 20261122L;
    static final int DEFAULT_COUNT = 300;

    /** The features the engine supports today; a query using one of them must match the oracle. */
    static final Set<Feature> SUPPORTED = EnumSet.allOf(Feature.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ShopFixture shop;
    private static Federation withDynamicFilters;
    private static Federation withoutDynamicFilters;

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        withDynamicFilters = Federation.over(shop.databases, FederationOptions.builder().inListBatchSize(7).build());
        withoutDynamicFilters = Federation.over(shop.databases, FederationOptions.builder().dynamicFilterMaxKeys(0).build());
    }

    @TestFactory
    Stream<DynamicTest> generatedQueriesReturnTheOraclesRows() {
        long seed = Long.getLong("tributary.random.seed", DEFAULT_SEED);
        Set<Feature> features = features();
        RandomQueryGenerator generator = new RandomQueryGenerator(seed, features);
        Integer only = Integer.getInteger("tributary.random.query");
        int count = Integer.getInteger("tributary.random.count", DEFAULT_COUNT);
        AtomicInteger withRows = new AtomicInteger();
        Set<Feature> used = EnumSet.noneOf(Feature.class);
        Stream<DynamicTest> queries = (only != null ? IntStream.of(only) : IntStream.rangeClosed(1, count)).mapToObj(n -> {
            GeneratedQuery q = generator.generate(n);
            used.addAll(q.features());
            return dynamicTest("#" + n + " " + q.sql(), () -> {
                if (check(q)) {
                    withRows.incrementAndGet();
                }
            });
        });
        if (only != null) {
            return queries;
        }
        return Stream.concat(queries, Stream.of(dynamicTest("the run returned rows and used every feature", () -> {
            assertThat(withRows.get()).as("queries whose oracle returned rows, of %d", count)
                    .isGreaterThanOrEqualTo(count / 2);
            if (count >= DEFAULT_COUNT) {
                assertThat(used).as("features used by %d queries", count).containsAll(features);
            }
        })));
    }

    @Test
    void aQueryNumberIsTheSameTextOnEveryRunAndIndependentOfTheOthers() {
        RandomQueryGenerator a = new RandomQueryGenerator(42, EnumSet.allOf(Feature.class));
        RandomQueryGenerator b = new RandomQueryGenerator(42, EnumSet.allOf(Feature.class));
        for (int n = 1; n <= 50; n++) {
            a.generate(n + 1000);
            assertThat(a.generate(n)).isEqualTo(b.generate(n));
        }
        RandomQueryGenerator other = new RandomQueryGenerator(43, EnumSet.allOf(Feature.class));
        assertThat(IntStream.rangeClosed(1, 50).filter(n -> !other.generate(n).sql().equals(a.generate(n).sql())).count())
                .isGreaterThan(45);
    }

    @Test
    void everyFeatureAppearsInThreeHundredQueriesAndNoDisabledOneDoes() {
        RandomQueryGenerator all = new RandomQueryGenerator(DEFAULT_SEED, EnumSet.allOf(Feature.class));
        Set<Feature> used = EnumSet.noneOf(Feature.class);
        IntStream.rangeClosed(1, DEFAULT_COUNT).forEach(n -> used.addAll(all.generate(n).features()));
        assertThat(used).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Feature.class));

        Set<Feature> few = EnumSet.of(Feature.LEFT_JOIN, Feature.ORDER_BY);
        RandomQueryGenerator restricted = new RandomQueryGenerator(DEFAULT_SEED, few);
        for (int n = 1; n <= DEFAULT_COUNT; n++) {
            GeneratedQuery q = restricted.generate(n);
            assertThat(few).as(q.sql()).containsAll(q.features());
            assertThat(q.sql()).doesNotContain("GROUP BY", "UNION", "DISTINCT", "LIMIT", "EXISTS", "(SELECT", "FULL", "RIGHT",
                    "COALESCE", "CASE", "CAST", "EXTRACT", "DATE '", "shipped_on");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regressions")
    void regressionQueryReturnsTheOraclesRows(RegressionQueries.Case c) {
        boolean withRows = check(c.sql(), c.ordered(), "Regression query '" + c.name() + "'",
                "./mvnw -pl reactive-federation -am verify -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dtest='RandomDifferentialTest#regressionQueryReturnsTheOraclesRows'");
        assertThat(withRows).as("the oracle must return rows for the regression to test anything").isTrue();
    }

    static Stream<RegressionQueries.Case> regressions() {
        return RegressionQueries.all().stream();
    }

    /** Runs {@code q} on the oracle and federated both ways; whether the oracle returned rows. */
    private static boolean check(GeneratedQuery q) {
        String features = System.getProperty("tributary.random.features");
        return check(q.sql(), q.ordered(), "Randomized differential query #" + q.number() + " of seed " + q.seed(),
                "./mvnw -pl reactive-federation -am verify -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dtest=RandomDifferentialTest -Dtributary.random.seed=" + q.seed()
                        + " -Dtributary.random.query=" + q.number()
                        + (features == null ? "" : " -Dtributary.random.features=" + features));
    }

    private static boolean check(String sql, boolean ordered, String label, String replay) {
        List<List<String>> expected;
        try {
            expected = ResultComparison.normalize(shop.oracleDb().query(sql).collectList().block(TIMEOUT));
        } catch (RuntimeException e) {
            throw new AssertionError(report(label, "PostgreSQL (the oracle) rejected the SQL: " + e, sql, replay), e);
        }
        for (Federation f : List.of(withDynamicFilters, withoutDynamicFilters)) {
            String mode = f == withDynamicFilters ? "dynamic filters on" : "dynamic filters off";
            List<Row> rows;
            try {
                rows = f.query(sql).collectList().block(TIMEOUT);
            } catch (RuntimeException e) {
                throw new AssertionError(report(label, mode + ": the federated query failed: " + e + plan(f, sql), sql, replay), e);
            }
            Optional<String> diff = ResultComparison.difference(expected, ResultComparison.normalize(rows), ordered);
            if (diff.isPresent()) {
                throw new AssertionError(report(label, mode + ": " + diff.get() + plan(f, sql), sql, replay));
            }
        }
        return !expected.isEmpty();
    }

    private static String report(String label, String what, String sql, String replay) {
        return label + ": " + what + "\nSQL: " + sql + "\nReplay: " + replay;
    }

    private static String plan(Federation f, String sql) {
        try {
            return "\nPlan:\n" + f.explain(sql).block(TIMEOUT);
        } catch (RuntimeException e) {
            return "\nPlan: explain failed too: " + e;
        }
    }

    private static Set<Feature> features() {
        String spec = System.getProperty("tributary.random.features", "").trim();
        if (spec.isEmpty()) {
            return SUPPORTED;
        }
        if (spec.equalsIgnoreCase("all")) {
            return EnumSet.allOf(Feature.class);
        }
        return Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Feature.valueOf(s.toUpperCase(java.util.Locale.ROOT)))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Feature.class)));
    }
}
