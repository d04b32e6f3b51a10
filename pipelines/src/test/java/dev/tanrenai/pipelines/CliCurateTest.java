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
        assertTrue(text.contains("scorer tribuo-logistic") && text.contains("written train"), text);

        String human = CliRun.ok("run", "curate", "--home", home.root().toString(), "--snapshot", "extracted")
                .out();
        assertTrue(human.contains("dedupe") && human.contains("already trained 0"), human);
    }

    static String sentence(Random random, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            sb.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
