package dev.tanrenai.datasets.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DatasetSnapshotCorruptionTest {

    private static final SnapshotWriter.Options SMALL = new SnapshotWriter.Options(7, 25);

    @TempDir
    Path tmp;

    private DatasetSnapshot snapshot;
    private Path part1;
    private Path manifest;

    @BeforeEach
    void write() throws IOException {
        snapshot = new SnapshotWriter(SMALL)
                .write(
                        tmp,
                        "chats",
                        TestConversations.generated(30, 5).iterator(),
                        SnapshotWriterTest.provenance(null),
                        Map.of());
        part1 = snapshot.dir().resolve("part-00001.arrow");
        manifest = snapshot.dir().resolve(SnapshotManifest.FILE_NAME);
    }

    private static String fails(Executable open, String... fragments) {
        SnapshotCorruptedException e = assertThrows(SnapshotCorruptedException.class, open);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void flippedByteIsReportedWithBothHashes() throws IOException {
        byte[] bytes = Files.readAllBytes(part1);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(part1, bytes);
        String expected = snapshot.manifest().parts().get(1).sha256();
        fails(
                () -> DatasetSnapshot.open(snapshot.dir()),
                "part-00001.arrow",
                "SHA-256 mismatch",
                "expected " + expected,
                "actual ");
    }

    @Test
    void truncatedPartIsReported() throws IOException {
        byte[] bytes = Files.readAllBytes(part1);
        Files.write(part1, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        fails(
                () -> DatasetSnapshot.open(snapshot.dir()),
                "part-00001.arrow",
                "size is " + (bytes.length - 10),
                "expects " + bytes.length);
    }

    @Test
    void deletedPartIsReported() throws IOException {
        Files.delete(part1);
        fails(() -> DatasetSnapshot.open(snapshot.dir()), "part-00001.arrow", "missing");
    }

    @Test
    void malformedManifestJsonIsReported() throws IOException {
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.substring(0, json.length() / 2));
        fails(() -> DatasetSnapshot.open(snapshot.dir()), "manifest.json", "not valid JSON");
    }

    @Test
    void wrongFieldTypesAndMissingFieldsAreNamed() throws IOException {
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"rowCount\": 30", "\"rowCount\": \"30\""));
        fails(
                () -> DatasetSnapshot.open(snapshot.dir()),
                "manifest.json",
                "field 'rowCount' must be an integer but is string");

        Files.writeString(manifest, json.replaceFirst("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"XYZ\""));
        fails(() -> DatasetSnapshot.open(snapshot.dir()), "manifest.json", "parts[0].", "sha256 'XYZ'");

        Files.writeString(manifest, json.replace("\"format\": \"tanrenai-dataset\",\n", ""));
        fails(
                () -> DatasetSnapshot.open(snapshot.dir()),
                "manifest.json",
                "field 'format' must be a string but is missing");

        Files.writeString(manifest, json.replace("\"rowCount\": 30", "\"rowCount\": 31"));
        fails(
                () -> DatasetSnapshot.open(snapshot.dir()),
                "manifest.json",
                "rowCount 31 differs from the sum of parts[].rows 30");
    }

    @Test
    void editedManifestNoLongerMatchesItsId() throws IOException {
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"counts\": { }", "\"counts\": {\n    \"forged\": 1\n  }"));
        fails(() -> DatasetSnapshot.open(snapshot.dir()), "manifest.json", "snapshotId", "derives");
    }

    @Test
    void missingManifestAndRenamedDirectoryAreReported() throws IOException {
        Path renamed = snapshot.dir().resolveSibling("s-0000000000000000");
        Files.move(snapshot.dir(), renamed);
        fails(() -> DatasetSnapshot.open(renamed), "directory is named 's-0000000000000000'");
        Files.delete(renamed.resolve(SnapshotManifest.FILE_NAME));
        fails(() -> DatasetSnapshot.open(renamed), "manifest.json", "missing");
    }

    @Test
    void rewritingOverACorruptedSnapshotFailsAndKeepsIt() throws IOException {
        byte[] bytes = Files.readAllBytes(part1);
        bytes[0] ^= 0x7f;
        Files.write(part1, bytes);
        fails(
                () -> new SnapshotWriter(SMALL)
                        .write(
                                tmp,
                                "chats",
                                TestConversations.generated(30, 5).iterator(),
                                SnapshotWriterTest.provenance(null),
                                Map.of()),
                "part-00001.arrow",
                "SHA-256 mismatch");
        assertArrayEquals(bytes, Files.readAllBytes(part1));
    }

    @Test
    void partRowCountsAreCheckedOnRead() throws IOException {
        // A self-consistent manifest (valid hashes, derived id) that lies about how rows are split.
        SnapshotManifest real = snapshot.manifest();
        List<SnapshotPart> parts = List.of(
                new SnapshotPart(
                        "part-00000.arrow",
                        24,
                        real.parts().get(0).sha256(),
                        real.parts().get(0).bytes()),
                new SnapshotPart(
                        "part-00001.arrow",
                        6,
                        real.parts().get(1).sha256(),
                        real.parts().get(1).bytes()));
        SnapshotManifest lying = new SnapshotManifest(
                        real.format(),
                        real.schemaVersion(),
                        real.dataset(),
                        "",
                        real.rowCount(),
                        real.contentSha256(),
                        parts,
                        real.provenance(),
                        real.counts())
                .withDerivedId();
        Path dir = snapshot.dir().resolveSibling(lying.snapshotId());
        Files.move(snapshot.dir(), dir);
        Files.writeString(dir.resolve(SnapshotManifest.FILE_NAME), lying.toJson(), StandardCharsets.UTF_8);
        DatasetSnapshot opened = DatasetSnapshot.open(dir);
        fails(
                () -> {
                    try (CloseableIterator<Conversation> rows = opened.read()) {
                        rows.forEachRemaining(c -> {});
                    }
                },
                "part-00000.arrow",
                "holds 25 rows, manifest expects 24");
    }

    @Test
    void badLatestPointerIsReported() throws IOException {
        Files.writeString(tmp.resolve("chats").resolve(SnapshotCatalog.LATEST_FILE), "garbage\n");
        fails(() -> new SnapshotCatalog(tmp).latest("chats"), "LATEST", "'garbage'");
        assertEquals(List.of(snapshot.id()), new SnapshotCatalog(tmp).snapshotIds("chats"));
    }
}
