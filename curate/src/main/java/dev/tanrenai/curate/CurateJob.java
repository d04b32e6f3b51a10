package dev.tanrenai.curate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.beam.ReadSnapshot;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.ExtraColumn;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.SnapshotWriter;
import dev.tanrenai.datasets.snapshot.Splits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * One curate run: a dataset snapshot through {@link Normalize}, {@link RedactSecrets},
 * {@link Dedupe}, {@link Score} and {@link Split} on the configured Beam runner, written as a new
 * snapshot with the extra columns {@code split}, {@code quality_score}, {@code quality_features}
 * and {@code cluster_size}, the per-stage counts in its manifest and the input snapshot(s) in its
 * provenance. Rows are sorted by id, so the same input and settings give the same snapshot.
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

    /** The curated snapshot and what each stage did. */
    public record Result(DatasetSnapshot snapshot, Map<String, Long> counts) {}

    static final List<ExtraColumn> COLUMNS = List.of(
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
     * @param workDir this run's own scratch directory (cleared first, and emptied after)
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
        Path work = Files.createDirectories(
                workDir.resolve(dataset).resolve(sorted.get(0).id()));
        dev.tanrenai.datasets.home.Directories.clear(work);
        PipelineOptions options = PipelineOptionsFactory.fromArgs(
                        dev.tanrenai.datasets.pipeline.BeamDefaults.args(runnerArgs))
                .withValidation()
                .create();
        options.setJobName("curate-" + dataset);
        Pipeline p = Pipeline.create(options);
        List<PCollection<String>> read = new ArrayList<>();
        for (DatasetSnapshot input : sorted) {
            read.add(p.apply(sorted.size() == 1 ? "ReadSnapshot" : "Read " + input.id(), ReadSnapshot.of(input)));
        }
        PCollection<String> conversations = read.size() == 1
                ? read.get(0)
                : PCollectionList.of(read)
                        .apply("AllInputs", Flatten.pCollections())
                        .apply("LatestVersions", new LatestVersions());
        conversations
                .apply("Normalize", new Normalize())
                .apply("RedactSecrets", new RedactSecrets())
                .apply(
                        "Dedupe",
                        new Dedupe(
                                settings.dedupeThreshold(),
                                settings.historyIndex(),
                                settings.dedupeShards(),
                                settings.scorer()))
                .apply("Score", new Score(settings.scoreThreshold(), settings.scorer()))
                .apply("Split", new Split(settings.heldoutShare(), settings.evaluationItems()))
                .apply(
                        "WriteCurated",
                        TextIO.write().to(work.resolve("curated").toString()).withSuffix(".jsonl"));
        long rowsRead = sorted.stream().mapToLong(DatasetSnapshot::rowCount).sum();
        Map<String, Long> counts = new TreeMap<>();
        counts.put("read", rowsRead);
        if (rowsRead > 0) {
            PipelineResult result = p.run();
            result.waitUntilFinish();
            counts.putAll(CurateMetrics.counters(result));
        }
        List<ConversationRow> rows = readRows(work);
        counts.put("written", (long) rows.size());
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
        DatasetSnapshot snapshot = new SnapshotWriter()
                .writeRows(
                        datasetsDir,
                        dataset,
                        COLUMNS,
                        rows.iterator(),
                        SnapshotProvenance.of(sources, config, null),
                        counts);
        new SnapshotCatalog(datasetsDir).setLatest(dataset, snapshot.id());
        dev.tanrenai.datasets.home.Directories.clear(work);
        return new Result(snapshot, counts);
    }

    private static List<ConversationRow> readRows(Path work) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(work)) {
            for (Path part : parts.sorted().toList()) {
                for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            }
        }
        List<ConversationRow> rows = new ArrayList<>();
        for (String line : lines) {
            Conversation c = Curated.conversation(line);
            JsonNode quality = Curated.get(line, "quality");
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put(Splits.COLUMN, Curated.get(line, Splits.COLUMN).asText());
            extras.put("quality_score", quality.path("score").asDouble());
            extras.put("quality_features", quality.path("features").toString());
            extras.put("cluster_size", Curated.get(line, "cluster_size").asLong(1));
            rows.add(new ConversationRow(c, extras));
        }
        rows.sort(Comparator.comparing(r -> r.conversation().id()));
        return rows;
    }
}
