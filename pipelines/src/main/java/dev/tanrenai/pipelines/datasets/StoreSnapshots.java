package dev.tanrenai.pipelines.datasets;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.SnapshotWriter;
import dev.tanrenai.datasets.store.ConversationStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the conversations of the store, as of one sequence number, to a dataset snapshot — as
 * they are, without validation or curation (the extract and curate stages add those).
 */
public final class StoreSnapshots {
    static final int PAGE = 500;

    private StoreSnapshots() {}

    /**
     * Snapshots the conversations whose last change is in {@code (since, store's last sequence]}.
     * The provenance records the store (credentials removed), both watermarks and the parent snapshot.
     */
    public static DatasetSnapshot snapshot(ConversationStore store, Path datasetsDir, String dataset, long since)
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
        return new SnapshotWriter()
                .write(
                        datasetsDir,
                        dataset,
                        store.iterate(since, upTo, PAGE),
                        SnapshotProvenance.of(List.of(input), config, parent),
                        Map.of());
    }
}
