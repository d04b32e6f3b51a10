package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline run curate} on a store with feedback: the Tribuo scorer is trained, and a report written. */
class CliCurateTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");
    static final String[] WORDS =
            "temper steel blade oil quench chisel plane stone water edge honing grit bevel angle heat".split(" ");

    @TempDir
    Path dir;

    @Test
    void feedbackTrainsTheQualityModelAndTheReportIsWritten() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        Random random = new Random(5);
        for (int i = 0; i < 60; i++) {
            boolean good = i % 2 == 0;
            String answer = good ? sentence(random, 50) + "." : "I'm sorry, as an AI I cannot help with that.";
            String id = "c-" + i;
            store.append(new Conversation(
                    id,
                    "serve",
                    T,
                    T,
                    List.of(Message.user(sentence(random, 8) + "?"), Message.assistant(answer)),
                    Map.of()));
            store.recordFeedback(good ? Feedback.thumbsUp(id, 1, T) : Feedback.thumbsDown(id, null, T));
        }
        JsonNode r = CliRun.ok("run", "curate", "--home", home.root().toString(), "--json")
                .json();
        DatasetSnapshot curated = DatasetSnapshot.open(Path.of(r.at("/path").asText()));
        Map<String, Object> config = curated.manifest().provenance().config();
        assertEquals("tribuo-logistic", config.get("scorer"), config.toString());
        assertTrue(String.valueOf(config.get("scorerNote")).contains("30 good, 30 bad"), config.toString());
        assertEquals(30L, r.at("/counts/filtered.low_quality").asLong(), r.toString());
        Path report = Path.of(r.at("/report").asText());
        assertTrue(Files.isRegularFile(report) && Files.isRegularFile(report.resolveSibling("report.txt")));
        String text = Files.readString(report.resolveSibling("report.txt"));
        assertTrue(
                text.contains("scorer tribuo-logistic (trained on 60 feedback labels")
                        && text.contains("written train"),
                text);

        String human = CliRun.ok("run", "curate", "--home", home.root().toString(), "--snapshot", "extracted")
                .out();
        assertTrue(human.contains("dedupe") && human.contains("already trained 0"), human);
    }

    @Test
    void aSeededStoreBecomesASnapshotWithExactlyTheExpectedCounts() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        String[][] distinct = {
            {
                "Why does my plane iron chatter on end grain?",
                "Bed the iron flat, set the cap iron close to the edge and take a thinner shaving; a low angle helps."
            },
            {
                "Which glue suits outdoor furniture joints?",
                "Use a polyurethane or a type one polyvinyl acetate glue; clamp firmly and let it cure a full day."
            },
            {
                "How do I set the teeth of a rip saw?",
                "Bend alternate teeth outward by a third of the plate thickness with a saw set, then joint and file."
            },
            {
                "What grit sequence flattens a water stone?",
                "Rub it on a diamond plate or wet silicon carbide paper on glass until a pencil grid is gone."
            }
        };
        for (int i = 0; i < distinct.length; i++) {
            store.append(chat("plain-" + i, distinct[i][0], distinct[i][1]));
        }
        store.append(chat("copy", distinct[0][0], distinct[0][1])); // exact duplicate of plain-0
        store.append(
                chat("near", distinct[1][0], distinct[1][1].replace("a full day", "one full day"))); // near plain-1
        store.append(chat(
                "secret",
                "my key is sk-canaryABCDEFGHIJKLMNOP1234, mail me at jane@example.org",
                "Revoke sk-canaryABCDEFGHIJKLMNOP1234 in the provider console now, then create a new key and store it"
                        + " in a secret manager rather than in chat."));
        store.append(new Conversation("unanswered", "serve", T, T, List.of(Message.user("hello?")), Map.of()));
        store.append(new Conversation(
                "backwards",
                "serve",
                T,
                T,
                List.of(Message.assistant("I speak first"), Message.user("odd")),
                Map.of()));
        Path file = dir.resolve("import.jsonl");
        Files.writeString(file, "{\"messages\": [\n"); // malformed
        JsonNode r = CliRun.ok(
                        "run",
                        "curate",
                        "--input",
                        file.toString(),
                        "--home",
                        home.root().toString(),
                        "--json")
                .json();
        JsonNode extract = r.at("/extract/counts");
        assertEquals(10, extract.path("read").asLong(), extract.toString());
        assertEquals(1, extract.path("quarantined.no_assistant_turn").asLong(), extract.toString());
        assertEquals(1, extract.path("quarantined.role_order").asLong(), extract.toString());
        assertEquals(1, extract.path("quarantined.malformed").asLong(), extract.toString());
        assertEquals(7, extract.path("written").asLong(), extract.toString());
        JsonNode curate = r.at("/counts");
        assertEquals(7, curate.path("read").asLong(), curate.toString());
        assertEquals(1, curate.path("duplicates.exact").asLong(), curate.toString());
        assertEquals(1, curate.path("duplicates.near").asLong(), curate.toString());
        assertEquals(2, curate.path("redacted.API_KEY").asLong(), curate.toString());
        assertEquals(1, curate.path("redacted.EMAIL").asLong(), curate.toString());
        assertEquals(5, curate.path("written").asLong(), curate.toString());
        DatasetSnapshot curated = DatasetSnapshot.open(Path.of(r.at("/path").asText()));
        try (var rows = curated.read()) {
            rows.forEachRemaining(c -> c.messages()
                    .forEach(m -> assertTrue(
                            !m.content().contains("canary") && !m.content().contains("jane@"), m.content())));
        }
    }

    static Conversation chat(String id, String question, String answer) {
        return new Conversation(
                id, "serve", T, T, List.of(Message.user(question), Message.assistant(answer)), Map.of());
    }

    static String sentence(Random random, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            sb.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
