package dev.tanrenai.pipelines.bench;

import dev.tanrenai.curate.bench.CurateBenchmark;
import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline bench curate}: conversations/s per curate stage and in total for N synthetic conversations. */
@Command(
        name = "curate",
        mixinStandardHelpOptions = true,
        description =
                "Curate N synthetic conversations on the direct runner, adding one stage at a time; report conversations/s.")
public final class BenchCurateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--sizes",
            split = ",",
            paramLabel = "N",
            description = "How many conversations (default: 10000,100000).")
    List<Integer> sizes = List.of(10_000, 100_000);

    @Mixin
    dev.tanrenai.pipelines.cli.RunnerOptions runner;

    @Option(
            names = "--total-only",
            description = "Only the whole job (all stages and the snapshot sink) per N, not one stage at a time.")
    boolean totalOnly;

    @Override
    public Integer call() throws java.io.IOException {
        Output out = common.output();
        List<CurateBenchmark.Run> runs =
                CurateBenchmark.run(sizes.stream().mapToInt(Integer::intValue).toArray(), runner.args(), totalOnly);
        double cores = Runtime.getRuntime().availableProcessors();
        CurateBenchmark.Run previous = null;
        CurateBenchmark.Run whole = null;
        for (CurateBenchmark.Run r : runs) {
            if (r.lastStage().startsWith("plain")) {
                out.line(String.format(
                        Locale.ROOT,
                        "N=%-7d peer: same functions, plain Java loop, 1 thread %7.2f s  %8.0f conv/s",
                        r.n(),
                        r.seconds(),
                        r.conversationsPerSecond()));
                if (whole != null && whole.n() == r.n()) {
                    out.line(String.format(
                            Locale.ROOT,
                            "N=%-7d pipeline per core / peer: %.2fx   max RSS so far %d MiB",
                            r.n(),
                            whole.conversationsPerSecond() / cores / r.conversationsPerSecond(),
                            whole.maxRssMb()));
                }
                continue;
            }
            whole = r;
            String stage = "";
            if (previous != null && previous.n() == r.n()) {
                double delta = r.seconds() - previous.seconds();
                stage = String.format(
                        Locale.ROOT,
                        "  stage %-11s %8.0f conv/s",
                        r.lastStage(),
                        delta > 0 ? r.n() / delta : Double.POSITIVE_INFINITY);
            }
            out.line(String.format(
                    Locale.ROOT,
                    "N=%-7d up to %-11s %7.2f s  %8.0f conv/s total (%6.0f per core)  max RSS %5d MiB%s",
                    r.n(),
                    r.lastStage(),
                    r.seconds(),
                    r.conversationsPerSecond(),
                    r.conversationsPerSecond() / cores,
                    r.maxRssMb(),
                    stage));
            previous = r;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "curate");
        result.put("cores", (int) cores);
        result.put("code", BuildInfo.current().describe());
        result.put("runs", runs);
        out.result(result);
        return 0;
    }
}
