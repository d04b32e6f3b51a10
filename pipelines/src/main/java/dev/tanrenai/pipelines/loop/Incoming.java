package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.extract.Watermarks;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.stages.ExtractCurate;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * What the next run's extract and curate would bring in, counted without running them (for
 * {@code run nightly --dry-run}): conversations changed in the store after the extract watermark,
 * and conversations in extracted snapshots not yet curated. Both are upper bounds: extract
 * quarantines invalid conversations and curate drops duplicates and low scores.
 *
 * @param watermark the committed extract watermark (store sequence)
 * @param lastSequence the store's newest change
 * @param storeChanges conversations whose last change is after the watermark
 * @param uncuratedSnapshots extracted snapshots no curated snapshot was built from
 * @param uncuratedConversations the conversations in them
 */
public record Incoming(
        long watermark,
        long lastSequence,
        long storeChanges,
        List<String> uncuratedSnapshots,
        long uncuratedConversations) {

    public Incoming {
        if (storeChanges < 0 || uncuratedConversations < 0 || lastSequence < 0 || watermark < 0) {
            throw new IllegalArgumentException("negative counts: " + storeChanges + ", " + uncuratedConversations);
        }
        uncuratedSnapshots = List.copyOf(uncuratedSnapshots);
    }

    /** Conversations not yet in a curated batch: at most this many new ones reach training. */
    public long notYetCurated() {
        return storeChanges + uncuratedConversations;
    }

    public static Incoming of(TanrenaiConfig config) throws IOException {
        ConversationStore store = Stores.conversations(config);
        long watermark = new Watermarks(Stores.database(config)).get(ExtractCurate.EXTRACTED);
        long last = store.stats().lastSequence();
        long changes = 0;
        if (last > watermark) {
            for (Iterator<?> it = store.iterate(watermark, last, 500); it.hasNext(); it.next()) {
                changes++;
            }
        }
        List<DatasetSnapshot> uncurated = ExtractCurate.uncurated(config);
        long rows = 0;
        for (DatasetSnapshot s : uncurated) {
            rows += s.rowCount();
        }
        return new Incoming(
                watermark,
                last,
                changes,
                uncurated.stream().map(DatasetSnapshot::id).toList(),
                rows);
    }
}
