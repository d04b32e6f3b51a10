package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.MemoryEstimate;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.cli.TerminalText;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline models recommend}: which GGUF fits this machine, with the memory estimate shown. */
@Command(
        name = "recommend",
        mixinStandardHelpOptions = true,
        description = {
            "Which registered (or given) GGUF models fit this machine: the memory each needs at the configured",
            "context (weights + an f16 KV cache: layers x context x KV heads x (key + value size) x 2 bytes, from",
            "the GGUF metadata) against the available memory, keeping 10% for llama.cpp's compute buffers and the",
            "JVM. A model is 'comfortable' when its weights are at most 1 GiB per core (a rough bound for an",
            "interactive CPU speed). The recommendation is the largest comfortable model that fits, else the",
            "largest that fits."
        })
public final class RecommendCommand implements Callable<Integer> {

    /** Share of the available memory a model may take. */
    static final double HEADROOM = 0.9;
    /** Weights per core for an interactive speed on a CPU. */
    static final long WEIGHTS_PER_CORE = 1L << 30;

    @Mixin
    CommonOptions common;

    @Parameters(
            paramLabel = "GGUF",
            arity = "0..*",
            description = "GGUF files (default: every registered base" + " model).")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--context",
            paramLabel = "N",
            description = "Context length to size the KV cache for (default: runtime.contextLength).")
    Integer context;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Memory to plan with, e.g. 8G (default: this machine's available memory).")
    String memory;

    @Option(names = "--cores", paramLabel = "N", description = "Cores to plan with (default: this machine's).")
    Integer cores;

    /** One candidate and its verdict. */
    record Candidate(String name, String path, MemoryEstimate estimate, boolean fits, boolean comfortable) {}

    @Override
    public Integer call() throws IOException {
        TanrenaiConfig config = common.config();
        int ctx = context != null ? context : config.runtimeContextLength();
        HostResources detected = memory == null || cores == null ? HostResources.detect() : null;
        HostResources host = new HostResources(
                memory != null ? HostResources.parseBytes(memory) : detected.availableBytes(),
                cores != null ? cores : detected.cores());
        Map<String, Path> models = new LinkedHashMap<>();
        if (files.isEmpty()) {
            for (BaseModel m : Stores.registry(config).baseModels()) {
                models.put(m.name() + " (" + m.id() + ")", m.path());
            }
        } else {
            files.forEach(f -> models.put(f.getFileName().toString(), f));
        }
        long budget = (long) (host.availableBytes() * HEADROOM);
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, Path> e : models.entrySet()) {
            MemoryEstimate estimate;
            try (GgufFile gguf = GgufFile.open(e.getValue())) {
                estimate = MemoryEstimate.of(gguf, ctx);
            }
            candidates.add(new Candidate(
                    e.getKey(),
                    e.getValue().toString(),
                    estimate,
                    estimate.totalBytes() <= budget,
                    estimate.weightBytes() <= host.cores() * WEIGHTS_PER_CORE));
        }
        Candidate best = candidates.stream()
                .filter(Candidate::fits)
                .max(Comparator.comparing(Candidate::comfortable)
                        .thenComparingLong(c -> c.estimate().weightBytes()))
                .orElse(null);
        Output out = common.output();
        out.line(String.format(
                Locale.ROOT,
                "this machine: %s available (a model may take %s), %d cores; context %d tokens",
                size(host.availableBytes()),
                size(budget),
                host.cores(),
                ctx));
        if (candidates.isEmpty()) {
            out.line("no models: register one (pipeline models add / pull) or pass GGUF files");
        }
        for (Candidate c : candidates) {
            MemoryEstimate m = c.estimate();
            out.line(String.format(
                    Locale.ROOT,
                    "  %-40s weights %9s + KV cache %9s (%d layers x %d KV heads x %d+%d) = %9s  %s",
                    TerminalText.escape(c.name()),
                    size(m.weightBytes()),
                    size(m.kvCacheBytes()),
                    m.layers(),
                    m.kvHeads(),
                    m.keyLength(),
                    m.valueLength(),
                    size(m.totalBytes()),
                    !c.fits()
                            ? "too large"
                            : c.comfortable() ? "fits" : "fits, but slow on " + host.cores() + " cores"));
        }
        if (!candidates.isEmpty()) {
            out.line(
                    best == null
                            ? "recommendation: none fits; free memory, lower --context, or pick a smaller or more quantized model"
                            : "recommendation: " + TerminalText.escape(best.name()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("availableBytes", host.availableBytes());
        json.put("budgetBytes", budget);
        json.put("cores", host.cores());
        json.put("context", ctx);
        json.put("models", candidates);
        json.put("recommendation", best == null ? null : best.name());
        out.result(json);
        return 0;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
