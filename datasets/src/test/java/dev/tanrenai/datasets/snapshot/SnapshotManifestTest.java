package dev.tanrenai.datasets.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private static SnapshotManifest manifest(Map<String, Long> counts) {
        SnapshotProvenance provenance = new SnapshotProvenance(
                List.of(new SnapshotInput("jsonl", "file:/in/chats.jsonl", null, SHA_B, 2L)),
                Map.of("z", 1, "a", Map.of("y", "x")),
                Map.of("commit", "abc", "dirty", false),
                null);
        return new SnapshotManifest(
                        SnapshotManifest.FORMAT,
                        1,
                        "chats",
                        "",
                        2,
                        SHA_A,
                        List.of(new SnapshotPart("part-00000.arrow", 2, SHA_B, 100)),
                        provenance,
                        counts)
                .withDerivedId();
    }

    @Test
    void canonicalJsonHasSortedKeysTwoSpaceIndentAndTrailingNewline() {
        SnapshotManifest m = manifest(Map.of("zz", 2L, "aa", 1L));
        String expected = """
                {
                  "contentSha256": "%s",
                  "counts": {
                    "aa": 1,
                    "zz": 2
                  },
                  "dataset": "chats",
                  "format": "tanrenai-dataset",
                  "parts": [
                    {
                      "bytes": 100,
                      "file": "part-00000.arrow",
                      "rows": 2,
                      "sha256": "%s"
                    }
                  ],
                  "provenance": {
                    "code": {
                      "commit": "abc",
                      "dirty": false
                    },
                    "config": {
                      "a": {
                        "y": "x"
                      },
                      "z": 1
                    },
                    "inputs": [
                      {
                        "kind": "jsonl",
                        "rows": 2,
                        "sha256": "%s",
                        "uri": "file:/in/chats.jsonl"
                      }
                    ],
                    "parent": null
                  },
                  "rowCount": 2,
                  "schemaVersion": 1,
                  "snapshotId": "%s"
                }
                """.formatted(SHA_A, SHA_B, SHA_B, m.snapshotId());
        assertEquals(expected, m.toJson());
    }

    @Test
    void parseInvertsToJsonAndIdFollowsContent() {
        SnapshotManifest m = manifest(Map.of("kept", 2L));
        assertEquals(m, ManifestJson.parse(m.toJson(), "test"));
        assertEquals(m.snapshotId(), manifest(Map.of("kept", 2L)).snapshotId());
        assertNotEquals(m.snapshotId(), manifest(Map.of("kept", 3L)).snapshotId());
        assertTrue(SnapshotManifest.isSnapshotId(m.snapshotId()));
    }

    @Test
    void constructorsRejectBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotPart("part-0.arrow", 1, SHA_A, 1));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotPart("part-00000.arrow", -1, SHA_A, 1));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotPart("part-00000.arrow", 1, "ABC", 1));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotInput("", "x", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotInput("k", "x", null, "nothex", null));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotInput("k", "x", null, null, -1L));
        assertThrows(IllegalArgumentException.class, () -> SnapshotProvenance.of(List.of(), Map.of(), "latest"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SnapshotProvenance.of(List.of(), Map.of("when", java.time.Instant.EPOCH), null));
        assertTrue(e.getMessage().contains("provenance.config.when"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> SnapshotProvenance.of(List.of(), Map.of("x", Double.NaN), null));
        assertThrows(IllegalArgumentException.class, () -> SnapshotManifest.requireDatasetName("../etc"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotManifest.requireDatasetName(".hidden"));
        assertThrows(IllegalArgumentException.class, () -> new SnapshotWriter.Options(0, 10));
    }
}
