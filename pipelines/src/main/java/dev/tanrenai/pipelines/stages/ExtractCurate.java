package dev.tanrenai.pipelines.stages;

import dev.tanrenai.curate.CurateJob;
import dev.tanrenai.curate.CurateReport;
import dev.tanrenai.curate.QualityScorer;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.Unconsumed;
import dev.tanrenai.extract.ExtractJob;
import dev.tanrenai.extract.ValidationRules;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs the extract and curate stages as the loop and the CLI use them, and prints their reports.
 * Both run inside a {@link PipelineRun} (the store's run lock and the run's own work directory).
 */
public final class ExtractCurate {

    /** The dataset extract writes and curate reads. */
    public static final String EXTRACTED = "extracted";
    /** The dataset curate writes and training reads. */
    public static final String CURATED = "curated";

    private ExtractCurate() {}

    public static ExtractJob.Result extract(
            TanrenaiConfig config,
            Long since,
            List<ExtractJob.FileInput> files,
            List<String> beamArgs,
            Output out,
            PipelineRun run)
            throws IOException {
        ExtractJob.Result r = ExtractJob.run(
                new ExtractJob.Request(
                        config.storeUrl(),
                        config.home().datasetsDir(),
                        EXTRACTED,
                        files,
                        ValidationRules.defaults(),
                        since,
                        beamArgs,
                        run.work("extract")),
                snapshot -> {
                    HaltPoints.reach(HaltPoints.EXTRACT_WRITTEN);
                    run.lock().ensureHeld();
                });
        out.line("extract  " + r.snapshot().id() + ": store changes " + r.from() + ".." + r.upTo() + ", read "
                + r.counts().get("read") + ", written " + r.counts().get("written") + ", quarantined "
                + r.counts().get("quarantined") + reasons(r.counts(), "quarantined.")
                + (r.quarantine() == null ? "" : " (see " + r.quarantine() + ")"));
        return r;
    }

    /**
     * The extracted snapshots (with conversations) that no curated snapshot was built from yet:
     * the batch a killed or failed run extracted but never curated, and the one just extracted.
     */
    public static List<DatasetSnapshot> uncurated(TanrenaiConfig config) throws IOException {
        return Unconsumed.of(config.home().datasetsDir(), EXTRACTED, CURATED);
    }

    /** Curates {@code input}; see {@link #curate(TanrenaiConfig, List, CurateJob.Settings, List, Output, PipelineRun)}. */
    public static CurateJob.Result curate(
            TanrenaiConfig config,
            DatasetSnapshot input,
            CurateJob.Settings settings,
            List<String> beamArgs,
            Output out,
            PipelineRun run)
            throws IOException {
        return curate(config, List.of(input), settings, beamArgs, out, run);
    }

    /**
     * Curates {@code inputs} together into one snapshot (its provenance lists each), prints the
     * report and writes it to {@code <runs>/curate/<snapshot>/}.
     */
    public static CurateJob.Result curate(
            TanrenaiConfig config,
            List<DatasetSnapshot> inputs,
            CurateJob.Settings settings,
            List<String> beamArgs,
            Output out,
            PipelineRun run)
            throws IOException {
        CurateJob.Settings effective = settings.historyIndex() == null
                ? settings.withHistoryIndex(config.home().dedupeHistoryDir())
                : settings;
        if (effective.scorer() instanceof QualityScorer) {
            effective = QualityScorers.choose(effective, Stores.conversations(config));
        }
        run.lock().ensureHeld();
        CurateJob.Result r =
                CurateJob.run(inputs, config.home().datasetsDir(), CURATED, effective, beamArgs, run.work("curate"));
        HaltPoints.reach(HaltPoints.CURATE_WRITTEN);
        CurateReport report = new CurateReport(inputs, r, effective);
        Path dir = report.write(
                config.home().runsDir().resolve("curate").resolve(r.snapshot().id()));
        for (String line : report.text().split("\n")) {
            out.line(line);
        }
        out.line("  report     " + dir.resolve("report.txt"));
        return r;
    }

    /**
     * Writes the report of {@code curated} when a run wrote that snapshot but was killed before its
     * report: rebuilt from the manifest (counts, settings in the provenance) and its input snapshots.
     *
     * @return the report directory when one was written
     */
    public static Optional<Path> reportIfMissing(TanrenaiConfig config, DatasetSnapshot curated) throws IOException {
        Path dir = config.home().runsDir().resolve("curate").resolve(curated.id());
        if (Files.exists(dir.resolve("report.json"))) {
            return Optional.empty();
        }
        Map<String, Object> c = curated.manifest().provenance().config();
        List<DatasetSnapshot> inputs = new ArrayList<>();
        for (SnapshotInput in : curated.manifest().provenance().inputs()) {
            if ("snapshot".equals(in.kind())) {
                inputs.add(DatasetSnapshot.open(Path.of(in.uri())));
            }
        }
        CurateJob.Settings settings = new CurateJob.Settings(
                number(c, "dedupeThreshold"),
                number(c, "scoreThreshold"),
                number(c, "heldoutShare"),
                Collections.nCopies((int) number(c, "evaluationItems"), ""),
                "none".equals(c.get("dedupeHistory")) ? null : config.home().dedupeHistoryDir(),
                new QualityScorer(),
                String.valueOf(c.getOrDefault("scorerNote", "")),
                dev.tanrenai.curate.Dedupe.DEFAULT_SHARDS);
        return Optional.of(new CurateReport(
                        inputs, new CurateJob.Result(curated, curated.manifest().counts()), settings)
                .write(dir));
    }

    private static double number(Map<String, Object> config, String key) {
        if (!(config.get(key) instanceof Number n)) {
            throw new IllegalStateException("the curated snapshot's provenance.config has no number '" + key + "'");
        }
        return n.doubleValue();
    }

    private static String reasons(Map<String, Long> counts, String prefix) {
        String list = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue() > 0)
                .map(e -> e.getKey().substring(prefix.length()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return list.isEmpty() ? (prefix.startsWith("redacted") ? " none" : "") : " (" + list + ")";
    }

    /** {@code FILE} with its {@code --format}. */
    public static List<ExtractJob.FileInput> files(List<Path> inputs, String format) {
        List<ExtractJob.FileInput> out = new ArrayList<>();
        if (inputs != null) {
            for (Path p : inputs) {
                out.add(new ExtractJob.FileInput(p, ChatFormat.fromName(format)));
            }
        }
        return out;
    }
}
