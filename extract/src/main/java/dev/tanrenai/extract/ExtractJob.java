package dev.tanrenai.extract;

import dev.tanrenai.beam.ReadSnapshot;
import dev.tanrenai.beam.SnapshotSink;
import dev.tanrenai.beam.StageCounters;
import dev.tanrenai.beam.Versions;
import dev.tanrenai.beam.WriteSnapshot;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.SnapshotParts;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One extract run: the conversations changed in the store since the dataset's committed watermark,
 * plus any import files, through {@link ValidateConversations} on the configured Beam runner (the
 * direct runner unless {@code --runner} says otherwise); valid ones become a deterministic dataset
 * snapshot written by the workers ({@link WriteSnapshot}: the latest version of each id, in id-hash
 * order; the driver only publishes the manifest), bad ones a quarantine JSONL with reasons. The
 * watermark is committed only after the snapshot is durably written, so a run killed midway and run
 * again reads the same cut and writes the identical snapshot.
 */
public final class ExtractJob {

    /**
     * An input besides the store: a JSONL or JSON-array file in {@code format}, or a dataset
     * snapshot directory (a previous Arrow snapshot; {@code format} is then ignored).
     */
    public record FileInput(Path file, ChatFormat format) {
        public FileInput {
            java.util.Objects.requireNonNull(file, "file");
            java.util.Objects.requireNonNull(format, "format");
        }

        /** Whether {@code file} is a dataset snapshot directory (it holds a manifest). */
        public boolean isSnapshot() {
            return Files.isRegularFile(file.resolve(dev.tanrenai.datasets.snapshot.SnapshotManifest.FILE_NAME));
        }
    }

    /**
     * @param since read the store after this sequence number instead of the committed watermark, or null
     * @param runnerArgs Beam pipeline options, e.g. {@code --runner=FlinkRunner --flinkMaster=[local]}
     */
    public record Request(
            String jdbcUrl,
            Path datasetsDir,
            String dataset,
            List<FileInput> files,
            ValidationRules rules,
            Long since,
            List<String> runnerArgs,
            Path workDir) {
        public Request {
            files = List.copyOf(files);
            runnerArgs = List.copyOf(runnerArgs);
        }
    }

    /**
     * @param counts {@code read}, {@code valid}, {@code written}, {@code quarantined} and {@code quarantined.<reason>}
     * @param quarantine the quarantine directory (JSONL parts), or null when nothing was quarantined
     */
    public record Result(DatasetSnapshot snapshot, long from, long upTo, Map<String, Long> counts, Path quarantine) {}

    /**
     * Runs between writing the snapshot and committing the watermark: where a caller checks it still
     * holds its run lock, and where crash drills stop a run.
     */
    public interface BeforeCommit {
        void run(DatasetSnapshot snapshot);
    }

    private ExtractJob() {}

    public static Result run(Request request) throws IOException {
        return run(request, s -> {});
    }

    /** {@link #run(Request)} calling {@code beforeCommit} before the watermark is committed. */
    public static Result run(Request request, BeforeCommit beforeCommit) throws IOException {
        Database db = Database.open(request.jdbcUrl());
        ConversationStore store = new ConversationStore(db);
        Watermarks watermarks = new Watermarks(db);
        long from = request.since() != null ? request.since() : watermarks.get(request.dataset());
        long upTo = Math.max(from, store.stats().lastSequence());
        String cut = from + "-" + upTo;
        Path quarantine = request.datasetsDir()
                .resolveSibling("quarantine")
                .resolve(request.dataset())
                .resolve(cut);
        dev.tanrenai.datasets.home.Directories.clear(quarantine);

        PipelineOptions options = PipelineOptionsFactory.fromArgs(
                        dev.tanrenai.datasets.pipeline.BeamDefaults.args(request.runnerArgs()))
                .withValidation()
                .create();
        options.setJobName("extract-" + request.dataset());
        Path staging = SnapshotParts.staging(request.datasetsDir(), request.dataset());
        try {
            return extract(request, beforeCommit, options, watermarks, from, upTo, quarantine, staging);
        } finally {
            if (Files.exists(staging)) { // not published: a failed run leaves no staged parts behind
                dev.tanrenai.datasets.home.Directories.clear(staging);
                Files.deleteIfExists(staging);
            }
        }
    }

    private static Result extract(
            Request request,
            BeforeCommit beforeCommit,
            PipelineOptions options,
            Watermarks watermarks,
            long from,
            long upTo,
            Path quarantine,
            Path staging)
            throws IOException {
        Pipeline p = Pipeline.create(options);
        List<PCollection<Incoming>> sources = new ArrayList<>();
        if (upTo > from) {
            sources.add(p.apply("ReadStore", new ReadStoreConversations(request.jdbcUrl(), from, upTo, 4)));
        }
        List<SnapshotInput> fileInputs = new ArrayList<>();
        for (FileInput f : request.files()) {
            String uri = f.file().toAbsolutePath().toString();
            if (f.isSnapshot()) {
                DatasetSnapshot s = DatasetSnapshot.open(f.file());
                String origin = "snapshot:" + s.id();
                sources.add(p.apply("Read snapshot " + f.file().getFileName(), ReadSnapshot.of(s))
                        .apply(
                                "Origin " + f.file().getFileName(),
                                MapElements.into(TypeDescriptor.of(Incoming.class))
                                        .via(c -> Incoming.decoded(origin, c))));
                fileInputs.add(
                        new SnapshotInput("snapshot", uri, null, s.manifest().contentSha256(), s.rowCount()));
            } else {
                sources.add(p.apply("Read " + f.file().getFileName(), new ReadConversationFile(f.file(), f.format())));
                fileInputs.add(new SnapshotInput("file", uri, null, Sha256.ofFile(f.file()), null));
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        long partsWritten = 0;
        if (!sources.isEmpty()) {
            PCollectionTuple checked = PCollectionList.of(sources)
                    .apply("AllSources", Flatten.pCollections())
                    .apply("ValidateConversations", new ValidateConversations(request.rules()));
            checked.get(ValidateConversations.VALID)
                    .apply(
                            "WriteSnapshot",
                            WriteSnapshot.to(staging, List.of(), ConversationRow::of)
                                    .latestPerId(Versions.LATER, ValidateConversations.NAMESPACE));
            checked.get(ValidateConversations.QUARANTINED)
                    .apply(
                            "WriteQuarantine",
                            TextIO.write()
                                    .to(quarantine.resolve("part").toString())
                                    .withSuffix(".jsonl"));
            PipelineResult result = p.run();
            result.waitUntilFinish();
            counts.putAll(ExtractMetrics.counters(result));
            partsWritten =
                    StageCounters.of(result, WriteSnapshot.NAMESPACE).getOrDefault(WriteSnapshot.PARTS_WRITTEN, -1L);
        }
        SnapshotSink.Staged staged = SnapshotSink.collect(staging, partsWritten);
        long quarantined = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("quarantined."))
                .mapToLong(Map.Entry::getValue)
                .sum();
        counts.put("quarantined", quarantined);
        counts.putIfAbsent("valid", 0L);
        counts.put("read", counts.get("valid") + quarantined);
        counts.put("written", staged.rows());

        List<SnapshotInput> inputs = new ArrayList<>();
        inputs.add(new SnapshotInput(
                "conversation-store",
                dev.tanrenai.datasets.store.JdbcUrls.redact(request.jdbcUrl()),
                upTo,
                null,
                null));
        inputs.addAll(fileInputs);
        Map<String, Object> config = new TreeMap<>();
        config.put("from", from);
        config.put("upTo", upTo);
        config.put(
                "rules",
                Map.of(
                        "maxChars",
                        request.rules().maxChars(),
                        "maxMessages",
                        request.rules().maxMessages()));
        String parent = from == 0
                ? null
                : new SnapshotCatalog(request.datasetsDir())
                        .latestId(request.dataset())
                        .orElse(null);
        DatasetSnapshot snapshot = SnapshotSink.publish(
                request.datasetsDir(),
                request.dataset(),
                List.of(),
                staged,
                SnapshotProvenance.of(inputs, config, parent),
                counts);
        new SnapshotCatalog(request.datasetsDir()).setLatest(request.dataset(), snapshot.id());
        beforeCommit.run(snapshot);
        if (request.since() == null) {
            watermarks.commit(request.dataset(), upTo, snapshot.id());
        }
        return new Result(snapshot, from, upTo, counts, quarantined > 0 ? quarantine : null);
    }
}
