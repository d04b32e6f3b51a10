package dev.tanrenai.pipelines.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.ConversationTimes;
import dev.tanrenai.datasets.format.Envelope;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.SnapshotWriter;
import dev.tanrenai.datasets.store.ConversationStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Writes the conversations of the store, as of one sequence number, to a dataset snapshot — as
 * they are, without validation or curation (the extract and curate stages add those). The one
 * exception: a stored conversation whose time is outside {@link ConversationTimes}' range (stored
 * before imports checked times) cannot be a row, so it is quarantined with its reason to {@code
 * <home>/quarantine/<dataset>/snapshot-<since>-<upTo>.jsonl} and counted, instead of failing the
 * snapshot and every later one.
 */
public final class StoreSnapshots {
    static final int PAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The snapshot and where its quarantined conversations went (null when none were). */
    public record Result(DatasetSnapshot snapshot, long quarantined, Path quarantine) {}

    private StoreSnapshots() {}

    /**
     * Snapshots the conversations whose last change is in {@code (since, store's last sequence]}.
     * The provenance records the store (credentials removed), both watermarks and the parent snapshot.
     */
    public static Result snapshot(ConversationStore store, Path datasetsDir, String dataset, long since)
            throws IOException {
        long upTo = store.stats().lastSequence();
        if (since > upTo) {
            throw new IllegalArgumentException("--since " + since + " is past the store's last sequence " + upTo);
        }
        // A full cut stands alone (the same store gives the same snapshot id); an incremental one
        // (--since) continues the dataset's latest snapshot.
        String parent = since == 0
                ? null
                : new SnapshotCatalog(datasetsDir).latestId(dataset).orElse(null);
        Map<String, Object> config = new TreeMap<>();
        config.put("since", since);
        config.put("upTo", upTo);
        SnapshotInput input = new SnapshotInput(
                "conversation-store",
                dev.tanrenai.datasets.store.JdbcUrls.redact(store.database().jdbcUrl()),
                upTo,
                null,
                null);
        Path quarantine = datasetsDir
                .resolveSibling("quarantine")
                .resolve(dataset)
                .resolve("snapshot-" + since + "-" + upTo + ".jsonl");
        Files.deleteIfExists(quarantine);
        // the writer builds the manifest after it consumed every row, so the counts it copies are final
        Map<String, Long> counts = new TreeMap<>();
        try (Plausible rows = new Plausible(store.iterate(since, upTo, PAGE), quarantine, counts)) {
            DatasetSnapshot snapshot = new SnapshotWriter()
                    .write(datasetsDir, dataset, rows, SnapshotProvenance.of(List.of(input), config, parent), counts);
            return new Result(snapshot, rows.quarantined, rows.quarantined > 0 ? quarantine : null);
        }
    }

    /** The store's conversations with plausible times; the others written to the quarantine file. */
    private static final class Plausible implements Iterator<Conversation>, AutoCloseable {
        private final Iterator<Conversation> all;
        private final Path quarantine;
        private final Map<String, Long> counts;
        private BufferedWriter writer;
        private Conversation next;
        long quarantined;

        Plausible(Iterator<Conversation> all, Path quarantine, Map<String, Long> counts) {
            this.all = all;
            this.quarantine = quarantine;
            this.counts = counts;
        }

        @Override
        public boolean hasNext() {
            while (next == null && all.hasNext()) {
                Conversation c = all.next();
                String problem = ConversationTimes.problem(c);
                if (problem == null) {
                    next = c;
                } else {
                    quarantine(c, problem);
                }
            }
            return next != null;
        }

        @Override
        public Conversation next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Conversation c = next;
            next = null;
            return c;
        }

        private void quarantine(Conversation c, String problem) {
            try {
                if (writer == null) {
                    Files.createDirectories(quarantine.getParent());
                    writer = Files.newBufferedWriter(quarantine, StandardCharsets.UTF_8);
                }
                ObjectNode row = JSON.createObjectNode();
                row.put("reason", "implausible_time");
                row.put("detail", "conversation " + c.id() + ": " + problem);
                row.put("origin", "store");
                row.put("envelope", Envelope.of(c, "store"));
                writer.write(row.toString());
                writer.write('\n');
                quarantined++;
                counts.put("quarantined.implausible_time", quarantined);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the quarantine file " + quarantine, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }
}
