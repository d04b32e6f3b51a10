package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart, {@code pipeline demo}, on its default — the bundled stories260K (run with
 * {@code -Preal-model}; it needs nothing from ../shared): 36 story conversations teaching three pet
 * names are imported in both formats, a quarter held out; the trained adapter improves the held-out
 * stories with an interval above 0, and the champion moves exactly when the gate promotes; on story openings that are in no conversation, the taught name becomes more likely
 * under the adapter than under the base for every probe, and the adapter's greedy continuation states
 * it for at least one; the printed chat command names the demo's home; a second run shows it all as
 * text. The expected names are written here from the demo data, not read from the demo.
 */
class CliDemoRealModelIT {

    /** The demo data's facts, probe by probe: the character's pet name (see stories260K/stories.jsonl). */
    static final List<String> TAUGHT = List.of("Spot", "Coco", "Pip");

    @TempDir
    Path home;

    /** The check {@code name}, required to have passed. */
    private static JsonNode passed(JsonNode evaluation, String name) {
        for (JsonNode c : evaluation.at("/checks")) {
            if (c.at("/name").asText().equals(name)) {
                assertTrue(c.at("/passed").asBoolean(), c.toString());
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + evaluation);
    }

    private static boolean says(String text, String word) {
        return Pattern.compile("(^|\\W)" + word + "(\\W|$)").matcher(text).find();
    }

    @Test
    void theDefaultDemoVisiblyTeachesStories260KThreeNames() throws Exception {
        long start = System.nanoTime();
        JsonNode first = CliRun.ok("demo", "--home", home.toString(), "--json").json();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertEquals(
                "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
                first.at("/champion/sha256").asText(),
                "the base is the bundled stories260K, unchanged");
        assertTrue(Files.isRegularFile(home.resolve("models/stories260K.gguf")));
        assertEquals(30, first.at("/imports/0/created").asLong());
        assertEquals(6, first.at("/imports/1/created").asLong());
        assertEquals(36, first.at("/curate/counts/read").asLong());
        assertTrue(
                first.at("/curate/counts/written.heldout").asLong() >= 5,
                first.at("/curate/counts").toString());
        String adapter = first.at("/training/adapter/id").asText();
        assertTrue(adapter.startsWith("a-"), first.at("/training").toString());

        JsonNode evaluation = first.at("/evaluation");
        assertTrue(passed(evaluation, "heldout improves").at("/ciHigh").asDouble() < 0, "held-out NLL fell");
        String decision = evaluation.at("/decision").asText();
        assertTrue(decision.equals("promote") || decision.equals("refuse"), evaluation.toString());
        assertEquals(
                decision.equals("promote") ? adapter : first.at("/champion/id").asText(),
                first.at("/promotion/champion").asText(),
                "the champion moves exactly when the gate promotes");

        JsonNode answers = first.at("/answers");
        assertEquals(TAUGHT.size(), answers.size());
        int stated = 0;
        for (int i = 0; i < TAUGHT.size(); i++) {
            JsonNode a = answers.get(i);
            String word = TAUGHT.get(i);
            assertEquals(word, a.at("/answerWord").asText(), a.toString());
            assertFalse(says(a.at("/base/text").asText(), word), "the base does not know it: " + a);
            assertTrue(
                    a.at("/trained/logProbability").asDouble()
                            > a.at("/base/logProbability").asDouble() + 1.0,
                    "the taught name is at least e times likelier after training: " + a);
            assertEquals(adapter, a.at("/trained/model").asText());
            if (says(a.at("/trained/text").asText(), word)) {
                stated++;
            }
        }
        assertTrue(stated >= 1, "the trained adapter states a taught name on a held-out opening: " + answers);

        String chat = first.at("/chatCommand").asText();
        assertEquals("./pipeline chat --home " + home + " --temperature 0", chat);

        String text = CliRun.ok("demo", "--home", home.toString()).out();
        assertTrue(text.contains("30 already stored"), "nothing is imported twice: " + text);
        assertTrue(text.contains("1. \"One sunny day, Lily went to the park with her dog."), text);
        assertTrue(text.contains("taught: Lily's dog is called Spot"), text);
        assertTrue(text.contains("P(Spot next)"), text);
        assertTrue(text.contains("gate: "), text);
        assertTrue(
                text.contains("Talk to the champion ("
                        + first.at("/promotion/champion").asText() + "): " + chat),
                text);
        assertEquals(
                decision.equals("refuse"),
                text.contains("to talk to the adapter anyway: " + chat + " --model challenger"),
                text);
        System.out.println("CliDemoRealModelIT: the first demo took " + seconds + " s");
    }
}
