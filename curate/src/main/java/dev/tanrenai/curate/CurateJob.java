package dev.tanrenai.curate;

import dev.tanrenai.beam.ReadSnapshot;
import dev.tanrenai.beam.SnapshotSink;
import dev.tanrenai.beam.StageCounters;
import dev.tanrenai.beam.WriteSnapshot;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.ExtraColumn;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.SnapshotParts;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.Splits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * One curate run: a dataset snapshot through {@link Normalize}, {@link RedactSecrets},
 * {@link Dedupe}, {@link Score} and {@link Split} on the configured Beam runner, written as a new
 * snapshot with the extra columns {@code split}, {@code quality_score}, {@code quality_features}
 * and {@code cluster_size}, the per-stage counts in its manifest and the input snapshot(s) in its
 * provenance. The workers write the parts ({@link WriteSnapshot}: rows in id-hash order), the driver
 * only publishes the manifest, so the same input and settings give the same snapshot on any runner.
 */
public final class CurateJob {

    /**
     * The settings of the stages.
     *
     * @param historyIndex the {@link HistoryIndex} of conversations already trained on to dedupe
     *     against, or null to dedupe within the input only
     * @param scorer the quality score: the heuristic {@link QualityScorer}, or a {@link QualityModel}
     * @param scorerNote why this scorer (e.g. how many feedback labels), for the report
     * @param dedupeShards shards of dedupe's grouping steps ({@link Dedupe}); raise on a cluster
     */
    public record Settings(
            double dedupeThreshold,
            double scoreThreshold,
            double heldoutShare,
            List<String> evaluationItems,
            Path historyIndex,
            ConversationScorer scorer,
            String scorerNote,
            int dedupeShards) {
        public Settings {
            if (dedupeShards < 1) {
                throw new IllegalArgumentException("dedupe shards must be >= 1, got " + dedupeShards);
            }
            evaluationItems = List.copyOf(evaluationItems);
            java.util.Objects.requireNonNull(scorer, "scorer");
            scorerNote = scorerNote == null ? "" : scorerNote;
            if (!(heldoutShare >= 0 && heldoutShare < 1)) {
                throw new IllegalArgumentException("held-out share must be in [0, 1), got " + heldoutShare);
            }
            if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
                throw new IllegalArgumentException("score threshold must be in [0, 1], got " + scoreThreshold);
            }
        }

        public Settings(
                double dedupeThreshold, double scoreThreshold, double heldoutShare, List<String> evaluationItems) {
            this(
                    dedupeThreshold,
                    scoreThreshold,
                    heldoutShare,
                    evaluationItems,
                    null,
                    new QualityScorer(),
                    "",
                    Dedupe.DEFAULT_SHARDS);
        }

        /** Jaccard 0.8, score 0.3, 10% held out, no evaluation items, no history. */
        public static Settings defaults() {
            return new Settings(0.8, 0.3, 0.1, List.of());
        }

        public Settings withHistoryIndex(Path dir) {
            return copy(dir, scorer, scorerNote, dedupeShards);
        }

        public Settings withScorer(ConversationScorer scorer, String note) {
            return copy(historyIndex, scorer, note, dedupeShards);
        }

        public Settings withDedupeShards(int shards) {
            return copy(historyIndex, scorer, scorerNote, shards);
        }

        private Settings copy(Path history, ConversationScorer scorer, String note, int shards) {
            return new Settings(
                    dedupeThreshold, scoreThreshold, heldoutShare, evaluationItems, history, scorer, note, shards);
        }
    }

    /**
     * The curated snapshot and what each stage did.
     *
     * @param deadLetters the directory of the dead-letter JSONL (conversations a stage failed on), or
     *     null when there were none
     */
    public record Result(DatasetSnapshot snapshot, Map<String, Long> counts, Path deadLetters) {
        public Result(DatasetSnapshot snapshot, Map<String, Long> counts) {
            this(snapshot, counts, null);
        }
    }

    public static final List<ExtraColumn> COLUMNS = List.of(
            ExtraColumn.utf8(Splits.COLUMN),
            new ExtraColumn("quality_score", ExtraColumn.Type.FLOAT64),
            ExtraColumn.utf8("quality_features"),
            new ExtraColumn("cluster_size", ExtraColumn.Type.INT64));

    private CurateJob() {}

    public static Result run(
            DatasetSnapshot input,
            Path datasetsDir,
            String dataset,
            Settings settings,
            List<String> runnerArgs,
            Path workDir)
            throws IOException {
        return run(List.of(input), datasetsDir, dataset, settings, runnerArgs, workDir);
    }

    /**
     * Curates {@code inputs} together (e.g. the extracted snapshots no curated snapshot consumed
     * yet): a conversation in several keeps its latest version ({@link LatestVersions}), and the
     * provenance lists every input snapshot, sorted by id.
     *
     * @param workDir unused since the parts are staged in the datasets directory (kept for callers)
     */
    public static Result run(
            List<DatasetSnapshot> inputs,
            Path datasetsDir,
            String dataset,
            Settings settings,
            List<String> runnerArgs,
            Path workDir)
            throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("curate needs at least one input snapshot");
        }
        List<DatasetSnapshot> sorted = new ArrayList<>(inputs);
        sorted.sort(Comparator.comparing(DatasetSnapshot::id));
        Path deadLetters = datasetsDir
                .resolveSibling("quarantine")
                .resolve(dataset)
                .resolve("curate-" + sorted.get(0).id());
        dev.tanrenai.datasets.home.Directories.clear(deadLetters);
        Path staging = SnapshotParts.staging(datasetsDir, dataset);
        try {
            return curate(sorted, datasetsDir, dataset, settings, runnerArgs, staging, deadLetters);
        } finally {
            if (Files.exists(staging)) { // not published: a failed run leaves no staged parts behind
                dev.tanrenai.datasets.home.Directories.clear(staging);
                Files.deleteIfExists(staging);
            }
        }
    }

    private static Result curate(
            List<DatasetSnapshot> sorted,
            Path datasetsDir,
            String dataset,
            Settings settings,
            List<String> runnerArgs,
            Path staging,
            Path deadLetters)
            throws IOException {
        PipelineOptions options = PipelineOptionsFactory.fromArgs(
                        dev.tanrenai.datasets.pipeline.BeamDefaults.args(runnerArgs))
                .withValidation()
                .create();
        options.setJobName("curate-" + dataset);
        Pipeline p = Pipeline.create(options);
        List<PCollection<Conversation>> read = new ArrayList<>();
        for (DatasetSnapshot input : sorted) {
            read.add(p.apply(sorted.size() == 1 ? "ReadSnapshot" : "Read " + input.id(), ReadSnapshot.of(input)));
        }
        PCollection<Conversation> conversations =
                read.size() == 1 ? read.get(0) : PCollectionList.of(read).apply("AllInputs", Flatten.pCollections());
        PCollectionTuple curated =
                conversations.apply("Curate", Curate.with(settings).withLatestVersions(sorted.size() > 1));
        curated.get(Curate.CURATED).apply("WriteSnapshot", WriteSnapshot.to(staging, COLUMNS, (Curated c) -> c.row()));
        curated.get(Curate.DEAD_LETTER)
                .apply(
                        "WriteDeadLetters",
                        TextIO.write()
                                .to(deadLetters.resolve("part").toString())
                                .withSuffix(".jsonl"));
        long rowsRead = sorted.stream().mapToLong(DatasetSnapshot::rowCount).sum();
        Map<String, Long> counts = new TreeMap<>();
        counts.put("read", rowsRead);
        long partsWritten = 0;
        if (rowsRead > 0) {
            PipelineResult result = p.run();
            result.waitUntilFinish();
            counts.putAll(CurateMetrics.counters(result));
            partsWritten =
                    StageCounters.of(result, WriteSnapshot.NAMESPACE).getOrDefault(WriteSnapshot.PARTS_WRITTEN, -1L);
        }
        long dead = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("dead_letter."))
                .mapToLong(Map.Entry::getValue)
                .sum();
        if (dead == 0) {
            dev.tanrenai.datasets.home.Directories.clear(deadLetters);
            Files.deleteIfExists(deadLetters);
        } else {
            counts.put("dead_letter", dead);
        }
        SnapshotSink.Staged staged = SnapshotSink.collect(staging, partsWritten);
        counts.put("written", staged.rows());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("dedupeThreshold", settings.dedupeThreshold());
        config.put("scoreThreshold", settings.scoreThreshold());
        config.put("heldoutShare", settings.heldoutShare());
        config.put("evaluationItems", settings.evaluationItems().size());
        config.put("scorer", settings.scorer().describe());
        config.put("scorerNote", settings.scorerNote());
        if (settings.scorer() instanceof QualityModel model) {
            config.put("scorerModel", model.provenance());
        }
        String history = settings.historyIndex() == null ? "" : HistoryIndex.fingerprint(settings.historyIndex());
        config.put(
                "dedupeHistory",
                settings.historyIndex() == null ? "none" : history.isEmpty() ? "empty" : "sha256:" + history);
        List<SnapshotInput> sources = new ArrayList<>();
        for (DatasetSnapshot input : sorted) {
            sources.add(new SnapshotInput(
                    "snapshot", input.dir().toString(), null, input.manifest().contentSha256(), input.rowCount()));
        }
        DatasetSnapshot snapshot = SnapshotSink.publish(
                datasetsDir, dataset, COLUMNS, staged, SnapshotProvenance.of(sources, config, null), counts);
        new SnapshotCatalog(datasetsDir).setLatest(dataset, snapshot.id());
        return new Result(snapshot, counts, dead > 0 ? deadLetters : null);
    }
}
