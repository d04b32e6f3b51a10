package dev.tanrenai.datasets.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {

    private static final SnapshotWriter.Options SMALL = new SnapshotWriter.Options(7, 25);

    @TempDir
    Path tmp;

    static SnapshotProvenance provenance(String parent) {
        return SnapshotProvenance.of(
                List.of(new SnapshotInput("sqlite", "file:/data/tanrenai.db", 4242L, null, 60L)),
                Map.of("rowsPerBatch", 7, "filters", List.of("empty", "pii"), "nested", Map.of("b", 1.5, "a", true)),
                parent);
    }

    static List<Conversation> readAll(DatasetSnapshot snapshot) {
        List<Conversation> out = new ArrayList<>();
        try (CloseableIterator<Conversation> rows = snapshot.read()) {
            rows.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void multiPartMultiBatchSnapshotRoundTrips() throws IOException {
        List<Conversation> input = new ArrayList<>(TestConversations.rich());
        input.addAll(TestConversations.generated(57, 11));
        DatasetSnapshot snapshot = new SnapshotWriter(SMALL)
                .write(tmp, "chats", input.iterator(), provenance(null), Map.of("read", 60L, "dropped.empty", 0L));

        assertEquals(60, snapshot.rowCount());
        assertEquals(
                List.of(25L, 25L, 10L),
                snapshot.manifest().parts().stream().map(SnapshotPart::rows).toList());
        assertEquals(tmp.resolve("chats").resolve(snapshot.id()), snapshot.dir());
        assertTrue(snapshot.id().matches("s-[0-9a-f]{16}"), snapshot.id());
        assertEquals(input, readAll(snapshot));
        try (Stream<Conversation> stream = snapshot.stream()) {
            assertEquals(60, stream.count());
        }
        // Reopening verifies hashes and gives the same manifest.
        assertEquals(snapshot.manifest(), DatasetSnapshot.open(snapshot.dir()).manifest());
        // No temp directory is left behind; LATEST points at the new snapshot.
        try (Stream<Path> list = Files.list(tmp.resolve("chats"))) {
            assertEquals(
                    List.of(SnapshotCatalog.LATEST_FILE, snapshot.id()),
                    list.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(snapshot.id(), new SnapshotCatalog(tmp).latestId("chats").orElseThrow());
    }

    @Test
    void sameInputGivesByteIdenticalSnapshots() throws IOException {
        List<Conversation> input = TestConversations.generated(60, 5);
        DatasetSnapshot a = new SnapshotWriter(SMALL)
                .write(tmp.resolve("a"), "chats", input.iterator(), provenance(null), Map.of("read", 60L));
        // Dirty pooled native memory with other, longer rows before the second write.
        List<Conversation> noise = new ArrayList<>(TestConversations.rich());
        noise.addAll(TestConversations.generated(200, 99));
        new SnapshotWriter(SMALL).write(tmp.resolve("noise"), "chats", noise.iterator(), provenance(null), Map.of());
        DatasetSnapshot b = new SnapshotWriter(SMALL)
                .write(
                        tmp.resolve("b"),
                        "chats",
                        TestConversations.generated(60, 5).iterator(),
                        provenance(null),
                        Map.of("read", 60L));
        assertEquals(a.id(), b.id());
        assertEquals(a.manifest().contentSha256(), b.manifest().contentSha256());
        List<String> files = new ArrayList<>(
                a.manifest().parts().stream().map(SnapshotPart::file).toList());
        files.add(SnapshotManifest.FILE_NAME);
        assertEquals(3, files.size() - 1);
        for (String file : files) {
            assertArrayEquals(
                    Files.readAllBytes(a.dir().resolve(file)),
                    Files.readAllBytes(b.dir().resolve(file)),
                    file);
        }
    }

    @Test
    void contentHashIsPinnedAcrossProcesses() throws IOException {
        // Pinned from an earlier run in another JVM: any change in the bytes Arrow writes for the
        // same rows (library upgrade, schema change, stray memory) shows up here.
        DatasetSnapshot snapshot = new SnapshotWriter(SMALL)
                .write(tmp, "chats", TestConversations.generated(30, 5).iterator(), provenance(null), Map.of());
        java.security.MessageDigest bytes = dev.tanrenai.datasets.provenance.Sha256.newDigest();
        StringBuilder partHashes = new StringBuilder();
        for (SnapshotPart part : snapshot.manifest().parts()) {
            bytes.update(Files.readAllBytes(snapshot.dir().resolve(part.file())));
            partHashes.append(part.sha256()).append('\n');
        }
        assertEquals(
                "9793695caf950cd33d9c19585a54f55b0713c1e4c984c5f220869ef89372cfe9",
                java.util.HexFormat.of().formatHex(bytes.digest()),
                "the parts' bytes, in order");
        // the content hash is over the parts' hashes (one hex digest per line), so a driver can
        // compute it from what the workers report without reading a part again
        assertEquals(
                dev.tanrenai.datasets.provenance.Sha256.ofBytes(
                        partHashes.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                snapshot.manifest().contentSha256());
        assertEquals(
                "076914c5033478e9558734364887e3c01ab35c45472060d1edc393bbb0649db7",
                snapshot.manifest().contentSha256());
    }

    @Test
    void defaultOptionsWriteFixedSizeRecordBatches() throws IOException {
        DatasetSnapshot snapshot = new SnapshotWriter()
                .write(tmp, "chats", TestConversations.generated(2500, 8).iterator(), provenance(null), Map.of());
        assertEquals(1, snapshot.manifest().parts().size());
        List<Integer> batchRows = new ArrayList<>();
        Path part = snapshot.dir().resolve("part-00000.arrow");
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(part, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            while (reader.loadNextBatch()) {
                batchRows.add(reader.getVectorSchemaRoot().getRowCount());
            }
            assertEquals(
                    "1",
                    reader.getVectorSchemaRoot().getSchema().getCustomMetadata().get("tanrenai.schema_version"));
        }
        assertEquals(List.of(1024, 1024, 452), batchRows);
        assertEquals(TestConversations.generated(2500, 8), readAll(snapshot));
    }

    @Test
    void differentInputGivesDifferentIds() throws IOException {
        SnapshotWriter writer = new SnapshotWriter(SMALL);
        DatasetSnapshot base = writer.write(
                tmp.resolve("1"), "chats", TestConversations.generated(30, 5).iterator(), provenance(null), Map.of());
        DatasetSnapshot otherRows = writer.write(
                tmp.resolve("2"), "chats", TestConversations.generated(30, 6).iterator(), provenance(null), Map.of());
        DatasetSnapshot otherParent = writer.write(
                tmp.resolve("3"),
                "chats",
                TestConversations.generated(30, 5).iterator(),
                provenance(base.id()),
                Map.of());
        DatasetSnapshot otherCounts = writer.write(
                tmp.resolve("4"),
                "chats",
                TestConversations.generated(30, 5).iterator(),
                provenance(null),
                Map.of("x", 1L));
        assertNotEquals(base.manifest().contentSha256(), otherRows.manifest().contentSha256());
        assertNotEquals(base.id(), otherRows.id());
        assertEquals(base.manifest().contentSha256(), otherParent.manifest().contentSha256());
        assertNotEquals(base.id(), otherParent.id());
        assertNotEquals(base.id(), otherCounts.id());
    }

    @Test
    void writingTheSameSnapshotAgainIsIdempotent() throws IOException {
        SnapshotWriter writer = new SnapshotWriter(SMALL);
        DatasetSnapshot first =
                writer.write(tmp, "chats", TestConversations.generated(30, 5).iterator(), provenance(null), Map.of());
        byte[] manifestBytes = Files.readAllBytes(first.dir().resolve(SnapshotManifest.FILE_NAME));
        DatasetSnapshot other = writer.write(
                tmp, "chats", TestConversations.generated(3, 9).iterator(), provenance(first.id()), Map.of());
        assertEquals(other.id(), new SnapshotCatalog(tmp).latestId("chats").orElseThrow());

        DatasetSnapshot again =
                writer.write(tmp, "chats", TestConversations.generated(30, 5).iterator(), provenance(null), Map.of());
        assertEquals(first.id(), again.id());
        assertArrayEquals(manifestBytes, Files.readAllBytes(again.dir().resolve(SnapshotManifest.FILE_NAME)));
        assertEquals(first.id(), new SnapshotCatalog(tmp).latestId("chats").orElseThrow());
        assertEquals(
                List.of(first.id(), other.id()).stream().sorted().toList(),
                new SnapshotCatalog(tmp).snapshotIds("chats"));
        assertEquals(List.of("chats"), new SnapshotCatalog(tmp).datasets());
    }

    @Test
    void extraColumnsAreWrittenAndReadBack() throws IOException {
        List<ExtraColumn> extras = List.of(ExtraColumn.utf8("split"), ExtraColumn.float64("quality_score"));
        List<ConversationRow> rows = new ArrayList<>();
        List<Conversation> conversations = TestConversations.generated(20, 3);
        for (int i = 0; i < conversations.size(); i++) {
            Map<String, Object> values =
                    i % 5 == 0 ? Map.of() : Map.of("split", i % 2 == 0 ? "train" : "eval", "quality_score", i / 20.0);
            rows.add(new ConversationRow(conversations.get(i), values));
        }
        DatasetSnapshot snapshot = new SnapshotWriter(SMALL)
                .writeRows(tmp, "curated", extras, rows.iterator(), provenance(null), Map.of());
        assertEquals(extras, snapshot.extraColumns());
        List<ConversationRow> back = new ArrayList<>();
        try (CloseableIterator<ConversationRow> it = snapshot.readRows()) {
            it.forEachRemaining(back::add);
        }
        assertEquals(rows, back);
        assertEquals(conversations, readAll(snapshot));
    }

    @Test
    void emptyDatasetHasOnePartWithSchemaOnly() throws IOException {
        DatasetSnapshot snapshot = new SnapshotWriter()
                .write(tmp, "empty", List.<Conversation>of().iterator(), provenance(null), Map.of());
        assertEquals(0, snapshot.rowCount());
        assertEquals(1, snapshot.manifest().parts().size());
        assertEquals(List.of(), readAll(snapshot));
    }

    @Test
    void earlyCloseReleasesEverything() throws IOException {
        DatasetSnapshot snapshot = new SnapshotWriter(SMALL)
                .write(tmp, "chats", TestConversations.generated(30, 5).iterator(), provenance(null), Map.of());
        // close() closes the iterator's allocator, which throws if any buffer is still held.
        try (CloseableIterator<Conversation> rows = snapshot.read()) {
            assertEquals("gen-0", rows.next().id());
        }
    }

    @Test
    void failingInputLeavesNoSnapshot() throws IOException {
        Iterator<Conversation> good = TestConversations.generated(20, 5).iterator();
        Iterator<Conversation> failing = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Conversation next() {
                if (++n > 15) {
                    throw new IllegalStateException("upstream failed at row 15");
                }
                return good.next();
            }
        };
        assertThrows(IllegalStateException.class, () -> new SnapshotWriter(SMALL)
                .write(tmp, "chats", failing, provenance(null), Map.of()));
        try (Stream<Path> list = Files.list(tmp.resolve("chats"))) {
            assertEquals(List.of(), list.toList());
        }
        assertFalse(new SnapshotCatalog(tmp).latestId("chats").isPresent());
    }
}
