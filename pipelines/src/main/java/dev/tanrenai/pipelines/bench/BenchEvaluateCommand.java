package dev.tanrenai.pipelines.bench;

import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.evaluate.bench.CachedChampionBenchmark;
import dev.tanrenai.evaluate.bench.EvaluateBenchmark;
import dev.tanrenai.evaluate.bench.PrecisionAccuracy;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.train.bench.MatmulPeak;
import dev.tanrenai.train.bench.ModelFlops;
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
 * {@code pipeline bench evaluate}: forward-only scoring tokens/s of each model beside its LoRA training
 * tokens/s measured in the same process (the ratio forward / training is printed, not asserted), then
 * two evaluations of the tiny model showing that the cached champion leaves only the candidate to score.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Time forward-only scoring (plain, keeping the baseline's top-K, with KL against a reference), in fp32 and",
            "in bf16, of a tiny model and a ~135M-parameter llama-shaped model beside LoRA training steps of the same",
            "model in the same run, and report tokens/s, their ratio and what bf16 changes in the log-probabilities;",
            "then evaluate the tiny model twice in a fresh folder to show the second evaluation scores only the new",
            "candidate (the champion comes from the cache)."
        })
public final class BenchEvaluateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--passes",
            paramLabel = "N",
            description = "Timed repetitions per scoring mode and timed training steps (default: ${DEFAULT-VALUE}).")
    int passes = 5;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup = 2;

    @Option(
            names = "--sequences",
            paramLabel = "N",
            description = "Sequences scored per repetition, side by side as an evaluation batches them: rows x length"
                    + " <= 2048 per forward pass (default: ${DEFAULT-VALUE}).")
    int sequences = 4;

    @Option(
            names = "--seq-len",
            paramLabel = "T",
            description = "Tokens per sequence and per training step (default: ${DEFAULT-VALUE}).")
    int sequenceLength = 512;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description = "Repeat each model's scoring passes and training steps N times, alternating, and print the"
                    + " median forward/training ratio: on a busy machine load changes between the two (default:"
                    + " ${DEFAULT-VALUE}).")
    int rounds = 1;

    @Option(
            names = "--train-warmup",
            paramLabel = "SECONDS",
            description = "Untimed training steps for at least this long (and at least --warmup steps) before each"
                    + " round's timed steps: a small model's step is Java code the JIT compiles over the first"
                    + " seconds, and unwarmed rounds time it slower than it settles at (default: ${DEFAULT-VALUE}).")
    double trainWarmupSeconds = 10;

    @Option(names = "--skip-large", description = "Only the tiny model (the 135M model takes a few minutes).")
    boolean skipLarge;

    @Option(names = "--model", paramLabel = "GGUF", description = "Also benchmark this GGUF model.")
    Path extraModel;

    @Option(
            names = "--conversations",
            paramLabel = "N",
            description =
                    "Synthetic held-out conversations of the cached-champion evaluations (default: ${DEFAULT-VALUE}).")
    int conversations = 64;

    @Option(
            names = "--documents",
            paramLabel = "N",
            description = "TinyStories documents of their general suite (default: ${DEFAULT-VALUE}).")
    int documents = 64;

    @Override
    public Integer call() throws IOException {
        if (rounds < 1) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--rounds must be >= 1, got " + rounds);
        }
        if (!(trainWarmupSeconds >= 0)) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--train-warmup must be >= 0 seconds, got " + trainWarmupSeconds);
        }
        Output out = common.output();
        TanrenaiConfig config = common.config();
        Path dir = Files.createDirectories(config.home().root().resolve("bench"));
        Path work = Files.createTempDirectory(dir, "evaluate-");
        LoraConfig lora = LoraConfig.defaults(42);
        Path tiny = BenchTrainCommand.model(dir, "tiny-llama", TinyModelSpec.llamaDefault());
        List<Path> models = new ArrayList<>();
        models.add(tiny);
        if (!skipLarge) {
            models.add(BenchTrainCommand.model(dir, "llama-135m", BenchTrainCommand.LLAMA_135M));
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
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (Path model : models) {
            double[] fp32Ratio = new double[rounds];
            double[] bf16Ratio = new double[rounds];
            double[] trainRate = new double[rounds];
            double[] fp32Rate = new double[rounds];
            double[] bf16Rate = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                String loadBefore = LoadAverage.read();
                out.line(String.format(
                        Locale.ROOT,
                        "%s round %d of %d (load average %s)",
                        model.getFileName(),
                        round + 1,
                        rounds,
                        loadBefore));
                RuntimeOptions runtime = runtime(model, config);
                EvaluateBenchmark.Result forward =
                        EvaluateBenchmark.run(model, lora, sequenceLength, sequences, warmup, passes, runtime, work);
                TrainStepBenchmark.Result train = TrainStepBenchmark.run(
                        model, lora, sequenceLength, warmup, trainWarmupSeconds, passes, peak.gflops());
                double forwardFlops = ModelFlops.forward(decoderConfig(model), lora, sequenceLength);
                String name = forward.model().replace(".gguf", "");
                out.line(String.format(
                        Locale.ROOT,
                        "%-13s %6.1fM params  training %8.0f tokens/s  (step %.3f s, MFU %4.1f%%)",
                        name,
                        train.parameters() / 1e6,
                        train.tokensPerSecond(),
                        train.stepSeconds(),
                        train.mfu() * 100));
                Map<String, Object> ratios = new LinkedHashMap<>();
                for (EvaluateBenchmark.Pass p : forward.passes()) {
                    double ratio = p.tokensPerSecond() / train.tokensPerSecond();
                    ratios.put(p.mode() + " " + p.precision().key(), ratio);
                    double gflops = forwardFlops * p.tokens() / sequenceLength / p.seconds() / 1e9;
                    out.line(String.format(
                            Locale.ROOT,
                            "%-13s %-26s %s %8.0f tokens/s  %5.2fx training  (%d x %d tokens %.3f s, p90 %.3f; %6.1f GFLOP/s, %5.1f%% of the fp32 peak)",
                            "",
                            p.mode(),
                            p.precision().key(),
                            p.tokensPerSecond(),
                            ratio,
                            sequences,
                            sequenceLength,
                            p.seconds(),
                            p.secondsP90(),
                            gflops,
                            100 * gflops / peak.gflops()));
                }
                PrecisionAccuracy acc = forward.bf16Accuracy();
                out.line(String.format(
                        Locale.ROOT,
                        "%-13s bf16 vs fp32 over %d tokens: |log p| difference max %.4f, mean %.5f (bias %+.5f) nats;"
                                + " paired candidate-champion %+.5f (fp32) vs %+.5f (bf16) nats/token, per sequence at most"
                                + " %.5f apart; KL %.5f vs %.5f",
                        "",
                        acc.tokens(),
                        acc.maxAbsLogProb(),
                        acc.meanAbsLogProb(),
                        acc.meanLogProbShift(),
                        acc.pairedFp32(),
                        acc.pairedBf16(),
                        acc.maxAbsPairedShift(),
                        forward.meanKl(),
                        forward.meanKlBf16()));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("model", forward.model());
                entry.put("forward", forward);
                entry.put("forwardFlopsPerSequence", forwardFlops);
                entry.put("train", train);
                entry.put("forwardOverTraining", ratios);
                entry.put("round", round + 1);
                entry.put("loadAverageBefore", loadBefore);
                entry.put("loadAverageAfter", LoadAverage.read());
                results.add(entry);
                fp32Ratio[round] =
                        forward.pass(EvaluateBenchmark.PLAIN, Precision.FLOAT32).tokensPerSecond()
                                / train.tokensPerSecond();
                bf16Ratio[round] = forward.pass(EvaluateBenchmark.PLAIN, Precision.BFLOAT16)
                                .tokensPerSecond()
                        / train.tokensPerSecond();
                trainRate[round] = train.tokensPerSecond();
                fp32Rate[round] =
                        forward.pass(EvaluateBenchmark.PLAIN, Precision.FLOAT32).tokensPerSecond();
                bf16Rate[round] = forward.pass(EvaluateBenchmark.PLAIN, Precision.BFLOAT16)
                        .tokensPerSecond();
            }
            String name = model.getFileName().toString().replace(".gguf", "");
            out.line(String.format(
                    Locale.ROOT,
                    "%-13s median of %d round(s), tokens/s: training %.0f, forward fp32 %.0f, bf16 %.0f;"
                            + " forward / training: fp32 median %.2fx (%s), bf16 median %.2fx (%s)",
                    name,
                    rounds,
                    median(trainRate),
                    median(fp32Rate),
                    median(bf16Rate),
                    median(fp32Ratio),
                    joined(fp32Ratio),
                    median(bf16Ratio),
                    joined(bf16Ratio)));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", model.getFileName().toString());
            summary.put("rounds", rounds);
            summary.put("trainingTokensPerSecondMedian", median(trainRate));
            summary.put("forwardFp32TokensPerSecondMedian", median(fp32Rate));
            summary.put("forwardBf16TokensPerSecondMedian", median(bf16Rate));
            summary.put("fp32OverTrainingMedian", median(fp32Ratio));
            summary.put("bf16OverTrainingMedian", median(bf16Ratio));
            summaries.add(summary);
        }
        CachedChampionBenchmark.Result cached = CachedChampionBenchmark.run(
                tiny, lora, conversations, documents, ScoringSettings.defaults(), runtime(tiny, config), work);
        out.line(String.format(
                Locale.ROOT,
                "cached champion (%s, suites %s: %d conversations, %d documents):",
                cached.model().replace(".gguf", ""),
                String.join("+", cached.suites()),
                cached.conversations(),
                cached.documents()));
        for (var r : List.of(
                Map.entry("1st: baseline + candidate", cached.first()),
                Map.entry("2nd: new candidate only", cached.second()))) {
            out.line(String.format(
                    Locale.ROOT,
                    "  %-26s %6.2f s  %8d tokens scored  %d cache hit(s)",
                    r.getKey(),
                    r.getValue().seconds(),
                    r.getValue().scoredTokens(),
                    r.getValue().cacheHits()));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "evaluate");
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        result.put("java", System.getProperty("java.version"));
        result.put("code", BuildInfo.current().describe());
        result.put("lora", Map.of("rank", lora.rank(), "alpha", lora.alpha(), "targets", lora.targets()));
        result.put("sequenceLength", sequenceLength);
        result.put("matmulPeak", peak);
        result.put("trainWarmupSeconds", trainWarmupSeconds);
        result.put("models", results);
        result.put("medians", summaries);
        result.put("cachedChampion", cached);
        out.result(result);
        return 0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String joined(double[] values) {
        return java.util.Arrays.stream(values)
                .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static RuntimeOptions runtime(Path model, TanrenaiConfig config) {
        return RuntimeOptions.defaults(model, config.home().nativeDir())
                .withThreads(config.runtimeThreads())
                .withContextLength(config.runtimeContextLength());
    }

    private static DecoderConfig decoderConfig(Path model) throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            return DecoderConfig.from(
                    gguf.metadata(),
                    Math.toIntExact(gguf.tensor("token_embd.weight").dim(1)));
        }
    }
}
