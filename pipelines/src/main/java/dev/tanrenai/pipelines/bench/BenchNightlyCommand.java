package dev.tanrenai.pipelines.bench;

import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.ImportReport;
import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.ImportCommand;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.evaluate.EvaluateOptions;
import dev.tanrenai.pipelines.loop.NightlyRun;
import dev.tanrenai.pipelines.loop.RunRecord;
import dev.tanrenai.pipelines.loop.StageRecord;
import dev.tanrenai.pipelines.loop.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline bench nightly}: the wall time of each stage of one full night, and the peak RSS. */
@Command(
        name = "nightly",
        mixinStandardHelpOptions = true,
        description = {
            "Run one full night (extract, curate, train, evaluate, promote) on N synthetic conversations in a fresh",
            "home with the home's nightly settings (defaults unless its config.yaml says otherwise); report each",
            "stage's wall time from its run record, the total and the process's peak resident memory."
        })
public final class BenchNightlyCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--conversations",
            paramLabel = "N",
            description = "Synthetic conversations imported (default: ${DEFAULT-VALUE}).")
    int conversations = 1000;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "Base GGUF model, the champion (default: a generated tiny llama, as models make-tiny).")
    Path model;

    @Override
    public Integer call() throws IOException {
        if (conversations < 1) {
            throw new IllegalArgumentException("--conversations must be >= 1, got " + conversations);
        }
        Path home = common.homeFlag();
        if (home == null) {
            home = Files.createTempDirectory("tanrenai-bench-nightly-");
            common.home(home);
        } else if (Files.exists(home.resolve("store.db"))) {
            throw new IllegalArgumentException("--home " + home + " already has a store: bench nightly needs a fresh"
                    + " home (its night must see exactly the synthetic conversations)");
        }
        TanrenaiConfig config = common.config();
        config.home().initialize();
        Output out = common.output();
        Path gguf = model;
        if (gguf == null) {
            gguf = config.home().root().resolve("tiny.gguf");
            TinyModelMaker.write(TinyModelSpec.llamaDefault(), gguf);
        } else if (!Files.isRegularFile(gguf)) {
            throw new IllegalArgumentException("--model: no such file " + gguf);
        }
        ModelRegistry registry = Stores.registry(config);
        BaseModel base = registry.addBaseModel(gguf, "bench", false);
        registry.moveAlias(EvaluateOptions.CHAMPION, base.id(), "bench nightly", "bench");

        long t0 = System.nanoTime();
        Path data = config.home().root().resolve("bench-conversations.jsonl");
        Files.write(data, synthetic(conversations), StandardCharsets.UTF_8);
        ImportReport imported = ImportCommand.run(config, data, ChatFormat.fromName("openai"), null, Instant.now());
        double importSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        RunRecord run = new NightlyRun(config, line -> {}).run(new NightlyRun.Request(Trigger.MANUAL, null));
        double total = (System.nanoTime() - t1) / 1e9;

        List<Map<String, Object>> stages = new ArrayList<>();
        out.line(String.format(
                Locale.ROOT,
                "nightly on %d conversations, model %s (%d bytes), %d cores, load %s",
                conversations,
                gguf.getFileName(),
                Files.size(gguf),
                Runtime.getRuntime().availableProcessors(),
                loadAverage()));
        out.line(String.format(
                Locale.ROOT, "  %-9s %9.1f s  (%d imported)", "import", importSeconds, imported.imported()));
        for (StageRecord s : run.stages()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", s.stage().label());
            m.put("state", s.state());
            m.put("seconds", s.seconds());
            m.put("counts", s.counts());
            stages.add(m);
            out.line(String.format(
                    Locale.ROOT,
                    "  %-9s %9.1f s  %-10s %s",
                    s.stage().label(),
                    s.seconds() == null ? Double.NaN : s.seconds(),
                    s.state(),
                    s.counts()));
        }
        long rss = peakRssBytes();
        out.line(String.format(
                Locale.ROOT,
                "  %-9s %9.1f s  run %s %s; peak RSS %d MiB",
                "total",
                total,
                run.id(),
                run.state().label(),
                rss >> 20));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "nightly");
        result.put("conversations", conversations);
        result.put("model", gguf.toString());
        result.put("modelSha256", Sha256.ofFile(gguf));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("loadAverage", loadAverage());
        result.put("code", BuildInfo.current().describe());
        result.put("home", config.home().root().toString());
        result.put("importSeconds", importSeconds);
        result.put("run", run.id());
        result.put("state", run.state().label());
        result.put("reason", run.reason());
        result.put("stages", stages);
        result.put("totalSeconds", total);
        result.put("peakRssBytes", rss);
        out.result(result);
        return 0;
    }

    /** N conversations: a question and an answer, varied so dedupe keeps them. */
    static List<String> synthetic(int n) {
        String[] things = {"kettle", "lamp", "bicycle", "garden", "window", "piano", "river", "candle"};
        String[] places = {"kitchen", "attic", "shed", "hall", "porch", "cellar", "library", "barn"};
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String thing = things[i % things.length];
            String place = places[(i / things.length) % places.length];
            lines.add("{\"id\":\"bench-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is the " + thing
                    + " number " + i + " kept?\"},{\"role\":\"assistant\",\"content\":\"The " + thing + " number " + i
                    + " is kept in the " + place + ", on shelf " + (i % 17) + ", since day " + (i * 7919 % 1000)
                    + ".\"}]}");
        }
        return lines;
    }

    /** VmHWM of /proc/self/status in bytes, or -1 off Linux. */
    static long peakRssBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.isReadable(p) ? Files.readString(p).trim() : "unknown";
    }
}
