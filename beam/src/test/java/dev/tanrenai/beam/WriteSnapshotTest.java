package dev.tanrenai.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.snapshot.CloseableIterator;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotPart;
import dev.tanrenai.datasets.snapshot.SnapshotParts;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed snapshot sink on the direct runner at different parallelism. */
class WriteSnapshotTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    static List<Conversation> conversations(int n) {
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Conversation(
                    "c-" + i, "test", T, T, List.of(Message.user("q " + i), Message.assistant("a " + i)), Map.of()));
        }
        // an older and a newer version of c-7: only the newer is written
        out.add(new Conversation(
                "c-7",
                "test",
                T,
                T.plusSeconds(60),
                List.of(Message.user("q 7"), Message.assistant("newer")),
                Map.of()));
        return out;
    }

    DatasetSnapshot write(String dataset, List<Conversation> input, int parallelism, long rowsPerPart)
            throws Exception {
        List<Conversation> shuffled = new ArrayList<>(input);
        Collections.shuffle(shuffled, new java.util.Random(parallelism));
        Path staging = SnapshotParts.staging(dir.resolve("datasets"), dataset);
        Pipeline p = Pipeline.create(
                PipelineOptionsFactory.fromArgs("--targetParallelism=" + parallelism, "--enforceImmutability=false")
                        .create());
        p.apply(Create.of(shuffled))
                .apply(WriteSnapshot.to(staging, List.of(), ConversationRow::of)
                        .latestPerId(Versions.LATER, "test")
                        .withRowsPerPart(rowsPerPart));
        PipelineResult result = p.run();
        result.waitUntilFinish();
        long written = StageCounters.of(result, WriteSnapshot.NAMESPACE).get(WriteSnapshot.PARTS_WRITTEN);
        assertEquals(1L, StageCounters.of(result, "test").get("superseded"));
        SnapshotSink.Staged staged = SnapshotSink.collect(staging, written);
        return SnapshotSink.publish(
                dir.resolve("datasets"),
                dataset,
                List.of(),
                staged,
                SnapshotProvenance.of(List.of(), Map.of(), null),
                Map.of("written", staged.rows()));
    }

    @Test
    void sameInputGivesByteIdenticalPartsWhateverTheParallelism() throws Exception {
        List<Conversation> input = conversations(1200);
        DatasetSnapshot one = write("one", input, 1, 500);
        DatasetSnapshot four = write("four", input, 4, 500);
        assertEquals(1200, one.rowCount());
        assertEquals(3, one.manifest().parts().size(), "ceil(1201 / 500) parts");
        assertEquals(one.manifest().parts(), four.manifest().parts());
        for (SnapshotPart part : one.manifest().parts()) {
            assertArrayEquals(
                    Files.readAllBytes(one.dir().resolve(part.file())),
                    Files.readAllBytes(four.dir().resolve(part.file())),
                    part.file());
        }
        assertEquals(one.manifest().contentSha256(), four.manifest().contentSha256());

        // rows in id-hash order across the parts (the hash computed here from SHA-256 directly)
        List<BigInteger> hashes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (CloseableIterator<Conversation> it = one.read()) {
            while (it.hasNext()) {
                Conversation c = it.next();
                assertTrue(ids.add(c.id()), "one row per id: " + c.id());
                if (c.id().equals("c-7")) {
                    assertEquals("newer", c.messages().get(1).content());
                }
                hashes.add(new BigInteger(
                        Sha256.ofBytes(c.id().getBytes(StandardCharsets.UTF_8)).substring(0, 16), 16));
            }
        }
        List<BigInteger> sorted = new ArrayList<>(hashes);
        Collections.sort(sorted);
        assertEquals(sorted, hashes);
        assertFalse(
                Files.list(one.dir()).anyMatch(f -> f.getFileName().toString().startsWith("shard-")));
    }

    @Test
    void anEmptyInputGivesOneEmptyPart() throws Exception {
        Path staging = SnapshotParts.staging(dir.resolve("datasets"), "empty");
        DatasetSnapshot s = SnapshotSink.publish(
                dir.resolve("datasets"),
                "empty",
                List.of(),
                SnapshotSink.collect(staging, 0),
                SnapshotProvenance.of(List.of(), Map.of(), null),
                Map.of());
        assertEquals(0, s.rowCount());
        assertEquals(1, s.manifest().parts().size());
    }

    @Test
    void aDriverThatDoesNotSeeTheWorkersPartsSaysTheHomeMustBeShared() throws Exception {
        Path staging = SnapshotParts.staging(dir.resolve("datasets"), "lost");
        SharedFileSystem.HomeNotSharedException e =
                assertThrows(SharedFileSystem.HomeNotSharedException.class, () -> SnapshotSink.collect(staging, 3));
        assertTrue(
                e.getMessage().contains("wrote 3 snapshot parts into " + staging)
                        && e.getMessage().contains("shared file system"),
                e.getMessage());
        Path missing = dir.resolve("not-mounted");
        SharedFileSystem.HomeNotSharedException w = assertThrows(
                SharedFileSystem.HomeNotSharedException.class,
                () -> SharedFileSystem.require(missing, "the snapshot staging directory"));
        assertTrue(w.getMessage().contains(missing + " is not a directory on worker"), w.getMessage());
    }
}
