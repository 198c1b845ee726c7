package dev.tributary.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole suite in one command: loads the data set, measures the join's memory footprint, runs every JMH
 * benchmark with the settings in its annotations, and writes the results table to {@code RESULTS.md}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tributary.benchmarks.Suite [--quick] [--include REGEX] [--out FILE]
 * </pre>
 * {@code --quick} runs on the smoke data set with one short iteration each, to check the pipeline only.
 */
public final class Suite {

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        String include = "dev\\.tributary\\.benchmarks\\..*Benchmark\\.";
        Path out = Path.of("benchmarks", "RESULTS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--include" -> include = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                        + "; use [--quick] [--include REGEX] [--out FILE]");
            }
        }
        DataSet data = quick ? DataSet.smoke() : DataSet.standard();
        Report report = new Report(data, quick);
        long t0 = System.nanoTime();
        DataLoader.loadPostgres(data);
        report.memory(MemoryFootprint.measure(quick ? 10_000 : 100_000));

        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .param("prefix", data.prefix())
                .param("orders", String.valueOf(data.orders()))
                .param("customers", String.valueOf(data.customers()))
                .resultFormat(ResultFormatType.JSON)
                .result(Path.of("benchmarks", "target", "jmh-result.json").toString());
        if (quick) {
            options.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        report.results(new ArrayList<>(results));
        report.wallTime(System.nanoTime() - t0);
        report.write(out);
        System.out.println("Wrote " + out.toAbsolutePath());
    }

}
