package dev.tributary.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Writes {@code RESULTS.md}: every benchmark's median and spread with rows/s, the ratios against their
 * targets (from medians of this one run), the memory figures, the machine and the versions.
 */
final class Report {

    /** One benchmark's figures; {@code rows} is the result size per operation, 0 where not meaningful. */
    record Entry(String key, String label, String unit, double median, double low, double high, String spread,
                 int samples, long rows) {
    }

    private final DataSet data;
    private final boolean quick;
    private final String loadBefore = loadAverage();
    private final Instant started = Instant.now();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** The sample distributions of the sampled ({@code Mode.SampleTime}) benchmarks, for their percentiles. */
    private final Map<String, Statistics> distributions = new LinkedHashMap<>();
    private MemoryFootprint.Result memory;
    private long wallNanos;

    Report(DataSet data, boolean quick) {
        this.data = data;
        this.quick = quick;
    }

    void memory(MemoryFootprint.Result memory) {
        this.memory = memory;
    }

    void wallTime(long nanos) {
        this.wallNanos = nanos;
    }

    void results(List<RunResult> results) {
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            String key = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            Statistics s = r.getPrimaryResult().getStatistics();
            boolean sampled = r.getParams().getMode().shortLabel().equals("sample");
            entries.put(key, new Entry(key, Labels.label(key), r.getPrimaryResult().getScoreUnit(),
                    s.getPercentile(50), sampled ? s.getPercentile(10) : s.getMin(),
                    sampled ? s.getPercentile(90) : s.getMax(), sampled ? "p10–p90 of samples" : "min–max of iterations",
                    (int) s.getN(), Labels.rows(key, data)));
            if (sampled) {
                distributions.put(key, s);
            }
        }
    }

    void write(Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Tributary benchmark results\n\n");
        md.append("Written by `benchmarks/run.sh` (`dev.tributary.benchmarks.Suite`) on ").append(started.truncatedTo(ChronoUnit.SECONDS))
                .append(", wall time ").append(wallNanos / 1_000_000_000 / 60).append(" min ")
                .append(wallNanos / 1_000_000_000 % 60).append(" s. Data set: ").append(data).append(quick
                        ? " (**--quick: pipeline check on the smoke data, the figures mean nothing**)" : "")
                .append(".\n\n");
        md.append("**Noise:** load average ").append(loadBefore).append(" before the suite, ").append(loadAverage())
                .append(" after (1/5/15 min; the suite itself keeps one to two of the two cores busy, and PostgreSQL and"
                + " the other local services run beside it). Single shots of the same 1M-row query vary by 10-20 % here;"
                + " the ratios compare medians from the same run.\n\n");
        ratios(md);
        table(md);
        percentiles(md);
        memorySection(md);
        machine(md);
        try (InputStream in = Report.class.getResourceAsStream("notes.md")) {
            if (in != null) {
                md.append('\n').append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
    }

    private void ratios(StringBuilder md) {
        md.append("## Ratios against the targets (medians of this run)\n\n");
        md.append("| ratio | this run | target | reference figure (issue) | verdict |\n|---|---|---|---|---|\n");
        for (Labels.Ratio ratio : Labels.RATIOS) {
            Entry num = entries.get(ratio.numerator());
            Entry den = ratio.denominator() == null ? null : entries.get(ratio.denominator());
            String value;
            String verdict;
            if (num == null || (ratio.denominator() != null && den == null)) {
                value = "not measured";
                verdict = "not measured: " + missing(num == null ? ratio.numerator() : ratio.denominator());
            } else {
                double v = den == null ? num.median() : num.median() / den.median();
                value = den == null ? fmt(v) + " " + num.unit() : fmt(v) + "x";
                verdict = ratio.target() == null ? "(information)" : ratio.target().test(v) ? "**met**" : "**missed**";
            }
            md.append("| ").append(ratio.name()).append(" | ").append(value).append(" | ")
                    .append(ratio.targetText()).append(" | ").append(ratio.reference()).append(" | ").append(verdict)
                    .append(" |\n");
        }
        md.append('\n');
    }

    private String missing(String key) {
        return "`" + key + "` has no result in this run (not built yet or it failed; see the notes)";
    }

    private void table(StringBuilder md) {
        md.append("## All benchmarks\n\n");
        md.append("| benchmark | what | median | spread | n | rows/op | rows/s |\n|---|---|---|---|---|---|---|\n");
        for (Entry e : entries.values()) {
            String rowsPerSecond = "";
            if (e.rows() > 0 && e.unit().equals("ms/op")) {
                rowsPerSecond = String.format(Locale.ROOT, "%,.0f", e.rows() / (e.median() / 1000));
            }
            md.append("| `").append(e.key()).append("` | ").append(e.label()).append(" | ").append(fmt(e.median()))
                    .append(' ').append(e.unit()).append(" | ").append(fmt(e.low())).append(" – ").append(fmt(e.high()))
                    .append(" (").append(e.spread()).append(") | ").append(e.samples()).append(" | ")
                    .append(e.rows() > 0 ? String.format(Locale.ROOT, "%,d", e.rows()) : "").append(" | ")
                    .append(rowsPerSecond).append(" |\n");
        }
        md.append('\n');
    }

    private void percentiles(StringBuilder md) {
        if (distributions.isEmpty()) {
            return;
        }
        md.append("## Percentiles of the sampled benchmarks\n\n");
        md.append("| benchmark | p50 | p90 | p99 | p99.9 | max | samples |\n|---|---|---|---|---|---|---|\n");
        distributions.forEach((key, s) -> md.append("| `").append(key).append("` | ").append(fmt(s.getPercentile(50)))
                .append(" | ").append(fmt(s.getPercentile(90))).append(" | ").append(fmt(s.getPercentile(99)))
                .append(" | ").append(fmt(s.getPercentile(99.9))).append(" | ").append(fmt(s.getMax())).append(" | ")
                .append(String.format(Locale.ROOT, "%,d", s.getN())).append(" |\n"));
        md.append("\nUnit: that of the benchmark in the table above (").append(String.join(", ", distributions.keySet().stream()
                .map(k -> entries.get(k).unit()).distinct().toList())).append(").\n\n");
    }

    private void memorySection(StringBuilder md) {
        md.append("## memory: retained heap per build-side row\n\n");
        if (memory == null) {
            md.append("Not measured.\n\n");
            return;
        }
        md.append(String.format(Locale.ROOT, "Build side of %,d customer rows (id, name, country), measured as used heap"
                + " after full GCs in the runner JVM:%n%n| structure | bytes/row |%n|---|---|%n", memory.rows()));
        md.append("| Tributary hash join build side (measured) | ").append(Double.isNaN(memory.hashJoin())
                ? "not measured: the hash join was not on main when this was built" : fmt(memory.hashJoin())).append(" |\n");
        md.append("| ... as counted against its memory budget (`MemoryBudget.estimate`) | ")
                .append(fmt(memory.budgetEstimate())).append(" |\n");
        md.append("| naive join: `HashMap<Integer, Object[]>` | ").append(fmt(memory.naiveMap())).append(" |\n");
        md.append("| `HashMap<Integer, Row>` (Tributary rows) | ").append(fmt(memory.rowMap())).append(" |\n\n");
    }

    private void machine(StringBuilder md) {
        md.append("## Machine and versions\n\n");
        md.append("- CPU: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores available; memory ").append(memTotal()).append('\n');
        md.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("; Java ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        md.append("- PostgreSQL: ").append(postgresVersion()).append(" on localhost (").append(Env.pgJdbcUrl()).append(")\n");
        Properties versions = new Properties();
        try (InputStream in = Report.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            versions.setProperty("versions", "unreadable: " + e.getMessage());
        }
        md.append("- Libraries: ");
        versions.stringPropertyNames().stream().sorted()
                .forEach(k -> md.append(k).append(' ').append(versions.getProperty(k)).append("; "));
        md.append("\n- JMH settings: per class annotations (1 fork, -Xms2g -Xmx2g; single-shot queries 8 warm-up + 9 measured (Calcite joins 1 + 3)"
                + "; sampled benchmarks (planning, the short selective ones) 2 x 2 s warm-up + 4 x 2 s measured; pointLookup"
                + " 4 x 3 s warm-up + 4 x 2 s measured; transfer 8 threads, -Xmx1g, 3 x 2 s warm-up + 5 x 2 s measured, throughput"
                + " and sampled).\n");
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String postgresVersion() {
        try (Connection c = Env.pgJdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
