package dev.tanrenai.pipelines.stages;

import dev.tanrenai.curate.CurateJob;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.datasets.SnapshotReference;
import dev.tanrenai.pipelines.loop.LoopStages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline run curate}: extract (unless --snapshot), then normalize, redact, dedupe, score and split. */
@Command(
        name = "curate",
        mixinStandardHelpOptions = true,
        description = {
            "Extract the store's new conversations (and --input files), then curate them: normalize, redact secrets",
            "and personal data, remove exact and near duplicates, score quality, split train/held-out; writes the",
            "'curated' snapshot and prints what each stage did. A batch an earlier run extracted but never curated",
            "(it was killed or failed) is curated along with the new one. With --snapshot, curates that snapshot",
            "instead. One run at a time per store: a second one is refused naming the first."
        })
public final class RunCurateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    ExtractOptions extract;

    @Mixin
    dev.tanrenai.pipelines.cli.RunnerOptions runner;

    @Option(
            names = "--snapshot",
            paramLabel = "SNAPSHOT",
            description = "Curate this snapshot (directory, DATASET/ID or DATASET) instead of extracting.")
    String snapshot;

    @Option(
            names = "--dedupe-threshold",
            paramLabel = "J",
            description = "Jaccard similarity of near duplicates (default: ${DEFAULT-VALUE}).")
    double dedupeThreshold = CurateJob.Settings.defaults().dedupeThreshold();

    @Option(
            names = "--dedupe-shards",
            paramLabel = "N",
            description = "Shards of dedupe's grouping steps; about one per 2,000 conversations on a cluster"
                    + " (default: ${DEFAULT-VALUE}).")
    int dedupeShards = dev.tanrenai.curate.Dedupe.DEFAULT_SHARDS;

    @Option(
            names = "--min-score",
            paramLabel = "S",
            description = "Lowest quality score kept (default: ${DEFAULT-VALUE}).")
    double minScore = CurateJob.Settings.defaults().scoreThreshold();

    @Option(
            names = "--heldout",
            paramLabel = "SHARE",
            description = "Share held out for evaluation (default: ${DEFAULT-VALUE}).")
    double heldout = CurateJob.Settings.defaults().heldoutShare();

    @Option(
            names = "--eval-items",
            paramLabel = "FILE",
            description = "Evaluation items, one per line: conversations containing one are dropped.")
    Path evalItems;

    @Override
    public Integer call() throws IOException {
        Output out = common.output();
        Map<String, Object> result = new LinkedHashMap<>();
        List<String> items = evalItems == null ? List.of() : Files.readAllLines(evalItems, StandardCharsets.UTF_8);
        try (PipelineRun run = PipelineRun.start(common.config(), "run curate", out)) {
            List<DatasetSnapshot> inputs;
            if (snapshot != null) {
                inputs = List.of(
                        SnapshotReference.open(snapshot, common.config().home().datasetsDir()));
            } else {
                LoopStages.Extracted extracted = LoopStages.extract(
                        common.config(),
                        new LoopStages.ExtractInput(extract.since, extract.files(), runner.args()),
                        out,
                        run);
                result.put("extract", Map.of("snapshot", extracted.snapshotId(), "counts", extracted.counts()));
                HaltPoints.reach(HaltPoints.EXTRACT_COMMITTED);
                // the batch just extracted, and any a killed or failed run extracted but never curated
                inputs = ExtractCurate.uncurated(common.config());
                if (inputs.size() > 1
                        || (inputs.size() == 1 && !inputs.get(0).id().equals(extracted.snapshotId()))) {
                    out.line("curate   also the uncurated extracted snapshot(s) of an earlier run: "
                            + inputs.stream().map(DatasetSnapshot::id).toList());
                }
            }
            if (inputs.isEmpty()) {
                DatasetSnapshot latestSnapshot = new SnapshotCatalog(
                                common.config().home().datasetsDir())
                        .latest(ExtractCurate.CURATED)
                        .orElse(null);
                String latest = latestSnapshot == null ? null : latestSnapshot.id();
                out.line("curate   nothing new to curate: every extracted conversation is in a curated snapshot"
                        + (latest == null ? "" : " (latest: " + latest + ")"));
                if (latestSnapshot != null) {
                    ExtractCurate.reportIfMissing(common.config(), latestSnapshot)
                            .ifPresent(dir -> out.line("  report     " + dir.resolve("report.txt")
                                    + " (written now: the run that curated it stopped before its report)"));
                }
                result.put("snapshot", latest);
                result.put("curated", false);
                out.result(result);
                return 0;
            }
            LoopStages.Curated r = LoopStages.curate(
                    common.config(),
                    new LoopStages.CurateInput(
                            inputs,
                            new CurateJob.Settings(dedupeThreshold, minScore, heldout, items)
                                    .withDedupeShards(dedupeShards),
                            runner.args()),
                    out,
                    run);
            result.put("inputs", r.inputs());
            result.put("snapshot", r.snapshotId());
            result.put("curated", true);
            result.put("path", r.path().toString());
            result.put("counts", r.counts());
            result.put(
                    "report",
                    common.config()
                            .home()
                            .runsDir()
                            .resolve("curate")
                            .resolve(r.snapshotId())
                            .resolve("report.json")
                            .toString());
        }
        out.result(result);
        return 0;
    }
}
