package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real datasets from ../shared through import, extract and curate: FastChat's 500 ShareGPT
 * conversations and LLaMA-Factory's Alpaca identity set imported into the store, and the Glaive
 * tool-call demo (ShareGPT's function_call/observation dialect) read by extract from the file.
 */
class CliRealWorldFormatsTest {

    static final Path SHARED = Path.of("../../shared/conversations");
    static final Path FASTCHAT = SHARED.resolve("fastchat/dummy_conversation.json");
    static final Path IDENTITY = SHARED.resolve("llamafactory/identity.json");
    static final Path GLAIVE = SHARED.resolve("llamafactory/glaive_toolcall_en_demo.json");

    @TempDir
    Path dir;

    @Test
    void fastChatAlpacaAndGlaiveGoThroughImportExtractAndCurate() throws Exception {
        for (Path p : new Path[] {FASTCHAT, IDENTITY, GLAIVE}) {
            assumeTrue(Files.isRegularFile(p), p + " is not present: the real-world format test is skipped");
        }
        String home = dir.resolve("home").toString();
        JsonNode fastchat = CliRun.ok("import", FASTCHAT.toString(), "--format", "sharegpt", "--home", home, "--json")
                .json();
        assertEquals(500, fastchat.at("/linesRead").asLong(), fastchat.toString());
        assertEquals(500, fastchat.at("/imported").asLong(), fastchat.toString());
        assertEquals(0, fastchat.at("/rejected").asLong(), fastchat.toString());
        JsonNode identity = CliRun.ok("import", IDENTITY.toString(), "--format", "alpaca", "--home", home, "--json")
                .json();
        assertEquals(91, identity.at("/imported").asLong(), identity.toString());
        assertEquals(0, identity.at("/rejected").asLong(), identity.toString());

        JsonNode r = CliRun.ok(
                        "run", "curate", "--input", GLAIVE.toString(), "--format", "sharegpt", "--home", home, "--json")
                .json();
        JsonNode extract = r.at("/extract/counts");
        assertEquals(891, extract.path("read").asLong(), extract.toString()); // 500 + 91 + 300 records
        assertEquals(0, extract.path("quarantined").asLong(), extract.toString());
        // 38 of Glaive's 300 records repeat another record word for word: same content id, one row
        assertEquals(500 + 91 + 262, extract.path("written").asLong(), extract.toString());
        JsonNode curate = r.at("/counts");
        assertEquals(853, curate.path("read").asLong(), curate.toString());
        long written = curate.path("written").asLong();
        assertEquals(
                853,
                written
                        + curate.path("duplicates.exact").asLong()
                        + curate.path("duplicates.near").asLong()
                        + curate.path("filtered.low_quality").asLong(),
                "every conversation is written or counted as dropped: " + curate);
        // FastChat's dummy set is 500 variations of a few dialogues: most are near-duplicates
        assertEquals(1, curate.path("duplicates.exact").asLong(), curate.toString());
        assertEquals(494, curate.path("duplicates.near").asLong(), curate.toString());
        assertEquals(5, curate.path("filtered.low_quality").asLong(), curate.toString());
        assertEquals(353, written, curate.toString());
        // the generated passwords in Glaive's tool results are redacted
        assertEquals(12, curate.path("redacted.PASSWORD").asLong(), curate.toString());

        DatasetSnapshot curated = DatasetSnapshot.open(Path.of(r.at("/path").asText()));
        int withCalls = 0;
        java.util.Set<String> seenSources = new java.util.TreeSet<>();
        try (var rows = curated.read()) {
            while (rows.hasNext()) {
                Conversation c = rows.next();
                seenSources.add(c.source());
                java.util.Deque<String> open = new java.util.ArrayDeque<>();
                for (Message m : c.messages()) {
                    m.toolCalls().forEach(call -> open.addLast(call.id()));
                    if (m.role() == Role.TOOL) {
                        assertEquals(open.pollFirst(), m.toolCallId(), c.id() + ": each result answers its call");
                    }
                }
                assertTrue(open.isEmpty(), c.id() + ": unanswered calls " + open);
                if (c.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty())) {
                    withCalls++;
                    assertTrue(c.metadata().containsKey("tools"), c.id() + " keeps the tools it was offered");
                }
            }
        }
        assertTrue(withCalls > 100, "Glaive's tool-call conversations reach the curated snapshot: " + withCalls);
        assertEquals(3, seenSources.size(), "all three datasets reach the curated snapshot: " + seenSources);
    }
}
