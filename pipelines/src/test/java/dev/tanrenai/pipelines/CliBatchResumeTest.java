package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.lock.RunLock;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §3: a batch extracted by a run that never got to curate is curated by the next run (not
 * replaced by an empty snapshot), and a second run on the same store is refused naming the first.
 */
class CliBatchResumeTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    /** Distinct conversations, the same in every home. */
    static ConversationStore seed(TanrenaiHome home, int count) {
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        for (int i = 0; i < count; i++) {
            store.append(new Conversation(
                    "c-" + i,
                    "serve",
                    T,
                    T,
                    List.of(
                            Message.user("Question number " + i + ": how do I sharpen tool " + (i * 7919 % 1000) + "?"),
                            Message.assistant("Answer " + i + ": hone it on stone grade " + (i * 104729 % 997)
                                    + ", then strop it " + i + " times and test the edge on paper.")),
                    Map.of()));
        }
        return store;
    }

    private static String[] curate(TanrenaiHome home) {
        return new String[] {"run", "curate", "--home", home.root().toString(), "--json"};
    }

    @Test
    void aBatchExtractedButNeverCuratedIsCuratedByTheNextRun() throws Exception {
        TanrenaiHome whole = new TanrenaiHome(dir.resolve("whole")).initialize();
        seed(whole, 12);
        JsonNode reference = CliRun.ok(curate(whole)).json();
        DatasetSnapshot expected =
                DatasetSnapshot.open(Path.of(reference.at("/path").asText()));
        assertTrue(expected.rowCount() > 0, reference.toString());

        // killed after extract committed its watermark: the state `run extract` alone leaves
        TanrenaiHome killed = new TanrenaiHome(dir.resolve("killed")).initialize();
        seed(killed, 12);
        JsonNode extracted = CliRun.ok("run", "extract", "--home", killed.root().toString(), "--json")
                .json();
        JsonNode rerun = CliRun.ok(curate(killed)).json();
        DatasetSnapshot resumed = DatasetSnapshot.open(Path.of(rerun.at("/path").asText()));
        assertEquals(expected.manifest().contentSha256(), resumed.manifest().contentSha256(), rerun.toString());
        assertEquals(expected.rowCount(), resumed.rowCount());
        List<String> from = resumed.manifest().provenance().inputs().stream()
                .map(SnapshotInput::uri)
                .toList();
        assertTrue(
                from.stream()
                        .anyMatch(u -> u.endsWith(
                                "/extracted/" + extracted.at("/snapshot").asText())),
                "the provenance names the extracted batch: " + from);

        // nothing new: no empty snapshot replaces the latest; a report lost to a kill is written again
        Path report = killed.runsDir().resolve("curate").resolve(resumed.id());
        String text = Files.readString(report.resolve("report.txt"));
        Files.delete(report.resolve("report.txt"));
        Files.delete(report.resolve("report.json"));
        JsonNode nothing = CliRun.ok(curate(killed)).json();
        assertFalse(nothing.at("/curated").asBoolean(), nothing.toString());
        assertEquals(resumed.id(), nothing.at("/snapshot").asText());
        assertEquals(text, Files.readString(report.resolve("report.txt")), "the same report, rebuilt");
    }

    @Test
    void anUncuratedBatchAndANewOneAreCuratedTogetherKeepingTheLatestVersion() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = seed(home, 6);
        JsonNode first = CliRun.ok("run", "extract", "--home", home.root().toString(), "--json")
                .json();
        store.appendTurns(
                "c-0",
                List.of(Message.user("And a follow-up about the burr?"), Message.assistant("Strop it off gently.")),
                T.plusSeconds(60));
        store.append(new Conversation(
                "c-new",
                "serve",
                T,
                T,
                List.of(Message.user("Which oil for a plane sole?"), Message.assistant("Camellia oil, thinly.")),
                Map.of()));
        JsonNode r = CliRun.ok(curate(home)).json();
        assertEquals(2, r.at("/inputs").size(), r.toString());
        assertTrue(r.at("/inputs").toString().contains(first.at("/snapshot").asText()), r.toString());
        DatasetSnapshot curated = DatasetSnapshot.open(Path.of(r.at("/path").asText()));
        assertEquals(2, curated.manifest().provenance().inputs().size());
        Map<String, Integer> sizes = new HashMap<>();
        try (var rows = curated.read()) {
            rows.forEachRemaining(
                    c -> assertEquals(null, sizes.put(c.id(), c.messages().size()), "one row per id"));
        }
        assertEquals(7, sizes.size(), sizes.toString());
        assertEquals(4, sizes.get("c-0"), "the latest version of c-0");
        assertEquals(1L, r.at("/counts/superseded").asLong(), r.toString());
    }

    @Test
    void aSecondRunIsRefusedNamingTheFirst() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        seed(home, 3);
        try (RunLock other = RunLock.acquire(Database.open(home.defaultJdbcUrl()), RunLock.PIPELINE, "nightly")) {
            CliRun refused = CliRun.run(curate(home));
            assertEquals(1, refused.exitCode(), refused.out() + refused.err());
            assertTrue(
                    refused.err().contains("'nightly'")
                            && refused.err()
                                    .contains("pid " + ProcessHandle.current().pid())
                            && refused.err().contains(other.holderId()),
                    refused.err());
            CliRun extract = CliRun.run("run", "extract", "--home", home.root().toString());
            assertEquals(1, extract.exitCode(), extract.err());
        }
        CliRun.ok(curate(home));
    }
}
