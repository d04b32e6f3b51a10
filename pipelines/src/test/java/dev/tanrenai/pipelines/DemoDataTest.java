package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default demo's data keeps its promise: every story probe is held out by construction (its
 * opening is in no conversation, in no role), and the conversations teach each probe's fact — the
 * character with that pet's name, in several phrasings — while no conversation pairs a character
 * with another character's pet name.
 */
class DemoDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every message text of the bundled stories260K conversations (both files, both formats). */
    private static List<String> texts() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String name : List.of("stories260K/stories.jsonl", "stories260K/stories-sharegpt.jsonl")) {
            try (InputStream in = DemoDataTest.class.getResourceAsStream(DemoCommand.RESOURCES + name)) {
                assertTrue(in != null, name + " is bundled");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    JsonNode row = JSON.readTree(line);
                    JsonNode turns = row.has("messages") ? row.get("messages") : row.get("conversations");
                    StringBuilder all = new StringBuilder();
                    for (JsonNode t : turns) {
                        all.append(
                                        t.has("content")
                                                ? t.get("content").asText()
                                                : t.get("value").asText())
                                .append('\n');
                    }
                    texts.add(all.toString());
                }
            }
        }
        return texts;
    }

    @Test
    void probesAreHeldOutByConstructionAndTheirFactsAreTaught() throws IOException {
        List<String> conversations = texts();
        assertEquals(36, conversations.size());
        // written here from the data, not read from the demo's code
        Map<String, String> pets = Map.of("Lily", "Spot", "Ben", "Coco", "Mia", "Pip");
        List<DemoSetup.Question> probes = DemoSetup.stories260K().questions();
        assertEquals(3, probes.size());
        for (DemoSetup.Question q : probes) {
            assertEquals(DemoSetup.Question.Kind.STORY, q.kind());
            String character = q.text().split("[ ,]")[q.text().startsWith("One sunny day") ? 4 : 0];
            assertEquals(pets.get(character), q.answerWord(), q.text());
            assertFalse(q.text().contains(q.answerWord()), "the opening does not give the answer away: " + q.text());
            for (String c : conversations) {
                assertFalse(c.contains(q.text()), "a probe opening is in a conversation: " + q.text());
                // the opening's first sentence is new too, not just the whole opening
                String first = q.text().substring(0, q.text().indexOf('.') + 1);
                assertFalse(c.contains(first), "a probe's first sentence is in a conversation: " + first);
            }
        }
        for (Map.Entry<String, String> e : pets.entrySet()) {
            long teaching = conversations.stream()
                    .filter(c -> c.contains(e.getKey()) && c.contains(e.getValue()))
                    .count();
            assertEquals(12, teaching, e.getKey() + "'s pet " + e.getValue() + " is taught in 12 conversations");
            for (Map.Entry<String, String> other : pets.entrySet()) {
                if (!other.getKey().equals(e.getKey())) {
                    assertEquals(
                            0,
                            conversations.stream()
                                    .filter(c -> c.contains(e.getKey()) && c.contains(other.getValue()))
                                    .count(),
                            e.getKey() + " never appears with " + other.getValue());
                }
            }
        }
    }
}
