package dev.tanrenai.pipelines.bench;

import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.tiny.TinyArchitecture;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.train.bench.MatmulPeak;
import dev.tanrenai.train.bench.TrainStepBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pipeline bench train}: LoRA training throughput of a tiny model and a ~135M-parameter
 * llama-shaped model, as tokens/s, step time, peak RSS and model-FLOPs utilisation against the
 * float32 matmul rate measured in the same process.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Time LoRA training steps of a tiny model and a ~135M-parameter llama-shaped model (made with the",
            "tiny-model maker, cached under <home>/bench) and report tokens/s, step time, peak RSS and model-FLOPs",
            "utilisation against the matmul peak measured in the same run."
        })
public final class BenchTrainCommand implements Callable<Integer> {

    /** 30 blocks of dim 576, 9 heads (3 KV), FFN 2048: SmolLM-135M's trunk with a small vocabulary. */
    static final TinyModelSpec LLAMA_135M =
            new TinyModelSpec(TinyArchitecture.LLAMA, 30, 576, 9, 3, 2048, 696, 2048, 10000f, 1e-5f, 42L, GgmlType.F32);

    @Mixin
    CommonOptions common;

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps per model (default: ${DEFAULT-VALUE}).")
    int steps = 5;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(names = "--seq-len", paramLabel = "T", description = "Tokens per step (default: ${DEFAULT-VALUE}).")
    int sequenceLength = 512;

    @Option(names = "--skip-large", description = "Only the tiny model (the 135M model takes a few minutes).")
    boolean skipLarge;

    @Option(names = "--model", paramLabel = "GGUF", description = "Also benchmark this GGUF model.")
    Path extraModel;

    @Override
    public Integer call() throws IOException {
        Output out = common.output();
        Path dir = Files.createDirectories(common.config().home().root().resolve("bench"));
        LoraConfig lora = LoraConfig.defaults(42);
        List<Path> models = new ArrayList<>();
        models.add(model(dir, "tiny-llama", TinyModelSpec.llamaDefault()));
        if (!skipLarge) {
            models.add(model(dir, "llama-135m", LLAMA_135M));
        }
        if (extraModel != null) {
            models.add(extraModel);
        }
        System.gc(); // making the 135M model leaves gigabytes of garbage that would otherwise be collected mid-run
        MatmulPeak.Result peak = MatmulPeak.measure(512, 2048, 21);
        out.line(String.format(
                Locale.ROOT,
                "matmul peak   %.1f GFLOP/s (median of 21 [512x2048]x[2048x2048] float32 products; best %.1f)",
                peak.gflops(),
                peak.best()));
        List<TrainStepBenchmark.Result> results = new ArrayList<>();
        for (Path model : models) {
            TrainStepBenchmark.Result r =
                    TrainStepBenchmark.run(model, lora, sequenceLength, warmup, steps, peak.gflops());
            results.add(r);
            out.line(String.format(
                    Locale.ROOT,
                    "%-13s %6.1fM params  %8.0f tokens/s  step %.3f s (p90 %.3f)  %6.1f GFLOP/s  MFU %4.1f%%  peak RSS %d MiB",
                    r.model().replace(".gguf", ""),
                    r.parameters() / 1e6,
                    r.tokensPerSecond(),
                    r.stepSeconds(),
                    r.stepSecondsP90(),
                    r.achievedGflops(),
                    r.mfu() * 100,
                    r.peakRssBytes() >> 20));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "train");
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        result.put("java", System.getProperty("java.version"));
        result.put("code", BuildInfo.current().describe());
        result.put("lora", Map.of("rank", lora.rank(), "alpha", lora.alpha(), "targets", lora.targets()));
        result.put("matmulPeak", peak);
        result.put("models", results);
        out.result(result);
        return 0;
    }

    static Path model(Path dir, String name, TinyModelSpec spec) throws IOException {
        String key = dev.tanrenai.datasets.provenance.Sha256.ofBytes(
                        spec.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 8);
        Path file = dir.resolve(name + "-" + key + ".gguf");
        if (!Files.exists(file)) {
            TinyModelMaker.write(spec, file);
        }
        return file;
    }
}
