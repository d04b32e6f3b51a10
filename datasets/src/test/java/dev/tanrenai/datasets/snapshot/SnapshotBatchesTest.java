package dev.tanrenai.datasets.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot read batch by batch gives the same rows as reading it whole, across parts. */
class SnapshotBatchesTest {

    @TempDir
    Path tmp;

    @Test
    void batchesCoverEveryRowOnceInOrder() throws IOException {
        List<Conversation> conversations = TestConversations.generated(30, 5);
        DatasetSnapshot snapshot = new SnapshotWriter(new SnapshotWriter.Options(7, 25))
                .write(tmp, "chats", conversations.iterator(), SnapshotWriterTest.provenance(null), Map.of());
        List<SnapshotBatches.BatchRef> batches = SnapshotBatches.list(snapshot);
        // part 0: 25 rows in batches of 7 (7, 7, 7, 4); part 1: 5 rows
        assertEquals(5, batches.size(), batches.toString());
        List<Conversation> read = new ArrayList<>();
        for (SnapshotBatches.BatchRef ref : batches) {
            SnapshotBatches.read(snapshot, ref).forEach(r -> read.add(r.conversation()));
        }
        List<Conversation> whole = new ArrayList<>();
        try (CloseableIterator<Conversation> it = snapshot.read()) {
            it.forEachRemaining(whole::add);
        }
        assertEquals(whole, read);
        assertEquals(30, read.size());
    }

    @Test
    void aMissingBatchOrATruncatedPartIsReportedWithTheFile() throws IOException {
        DatasetSnapshot snapshot = new SnapshotWriter(new SnapshotWriter.Options(7, 25))
                .write(
                        tmp,
                        "chats",
                        TestConversations.generated(10, 5).iterator(),
                        SnapshotWriterTest.provenance(null),
                        Map.of());
        SnapshotCorruptedException e = assertThrows(
                SnapshotCorruptedException.class,
                () -> SnapshotBatches.read(snapshot, new SnapshotBatches.BatchRef(0, 9)));
        assertTrue(e.getMessage().contains("part-00000.arrow") && e.getMessage().contains("batch 9"), e.getMessage());
        Path part = snapshot.dir().resolve("part-00000.arrow");
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(SnapshotCorruptedException.class, () -> SnapshotBatches.list(snapshot));
        assertTrue(e.getMessage().contains("part-00000.arrow"), e.getMessage());
    }
}
