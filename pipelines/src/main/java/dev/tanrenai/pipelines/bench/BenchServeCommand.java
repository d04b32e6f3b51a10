package dev.tanrenai.pipelines.bench;

import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.bench.ServeBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline bench serve}: tokens/s and latency through the endpoint vs java-llama.cpp directly. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Generate with a model through java-llama.cpp directly, then through the endpoint (and a peer server",
            "with --peer-url), each with 1, 4 and 8 concurrent clients; report tokens/s, time to first token and",
            "p50/p99 latency (in a scratch home under <home>/bench)."
        })
public final class BenchServeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "GGUF", description = "The model to serve (default: a tiny llama).")
    Path model;

    @Option(names = "--requests", paramLabel = "N", description = "Requests per client (default: ${DEFAULT-VALUE}).")
    int requests = 8;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens per reply (default: ${DEFAULT-VALUE}).")
    int maxTokens = 64;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "llama.cpp slots of the direct runtime and the endpoint (default: ${DEFAULT-VALUE}).")
    int parallel = ServeConfig.DEFAULT_PARALLEL;

    @Option(
            names = "--peer-url",
            paramLabel = "URL",
            description = "An OpenAI-compatible server serving the same model (e.g. llama.cpp's llama-server at"
                    + " http://127.0.0.1:8081), measured the same way after the endpoint (default: none).")
    String peerUrl;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(common.config().home().root().resolve("bench"));
        Path gguf = model;
        if (gguf == null) {
            gguf = dir.resolve("serve-tiny-llama.gguf");
            if (!Files.exists(gguf)) {
                TinyModelMaker.write(TinyModelSpec.llamaDefault(), gguf);
            }
        }
        Path work = Files.createTempDirectory(dir, "serve-");
        List<ServeBenchmark.Run> runs = ServeBenchmark.run(
                gguf,
                work,
                common.config().home().nativeDir(),
                new int[] {1, 4, 8},
                parallel,
                peerUrl,
                requests,
                maxTokens);
        Output out = common.output();
        double direct = runs.get(0).tokensPerSecond();
        for (ServeBenchmark.Run r : runs) {
            out.line(String.format(
                    Locale.ROOT,
                    "%-22s %d client(s) %d slot(s) %4d requests %8.0f tokens/s (%5.1f%% of direct at 1 client)"
                            + "  p50 %.3f s  p99 %.3f s  TTFT p50 %.3f s p99 %.3f s",
                    r.mode(),
                    r.clients(),
                    r.slots(),
                    r.requests(),
                    r.tokensPerSecond(),
                    100 * r.tokensPerSecond() / direct,
                    r.p50Seconds(),
                    r.p99Seconds(),
                    r.ttftP50Seconds(),
                    r.ttftP99Seconds()));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "serve");
        result.put("model", gguf.toString());
        result.put("maxTokens", maxTokens);
        result.put("slots", parallel);
        result.put("peerUrl", peerUrl);
        result.put(
                "loadAverage",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("code", BuildInfo.current().describe());
        result.put("runs", runs);
        out.result(result);
        return 0;
    }
}
