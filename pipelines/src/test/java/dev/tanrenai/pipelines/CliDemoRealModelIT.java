package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart, {@code pipeline demo}, on its default — the bundled stories260K (run with
 * {@code -Preal-model}; it needs nothing from ../shared): the 72 pet facts are imported in both
 * formats, a quarter held out; the gently trained challenger improves the held-out answers with an
 * interval above 0 while TinyStories stays inside the default budgets, so the gate promotes; both
 * models answer the paraphrased questions side by side; a second run shows it all as text.
 */
class CliDemoRealModelIT {

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

    @Test
    void theDefaultDemoTeachesStories260KAndTheGatePromotesIt() throws Exception {
        long start = System.nanoTime();
        JsonNode first = CliRun.ok("demo", "--home", home.toString(), "--json").json();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertEquals(
                "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
                first.at("/champion/sha256").asText(),
                "the champion is the bundled stories260K, unchanged");
        assertTrue(Files.isRegularFile(home.resolve("models/stories260K.gguf")));
        assertEquals(60, first.at("/imports/0/created").asLong());
        assertEquals(12, first.at("/imports/1/created").asLong());
        assertEquals(72, first.at("/curate/counts/read").asLong());
        assertTrue(
                first.at("/curate/counts/written.heldout").asLong() >= 10,
                first.at("/curate/counts").toString());

        assertTrue(
                first.at("/training/adapter/id").asText().startsWith("a-"),
                first.at("/training").toString());
        assertTrue(
                first.at("/training/metrics/finalLoss").asDouble()
                        < first.at("/training/metrics/firstLoss").asDouble(),
                first.at("/training/metrics").toString());

        JsonNode evaluation = first.at("/evaluation");
        assertEquals("promote", evaluation.at("/decision").asText(), evaluation.toString());
        assertTrue(passed(evaluation, "heldout improves").at("/ciHigh").asDouble() < 0, "held-out NLL fell");
        assertTrue(passed(evaluation, "general retains (bits_per_byte)")
                        .at("/ciHigh")
                        .asDouble()
                < 0.02);
        assertTrue(passed(evaluation, "general KL within budget").at("/ciHigh").asDouble() < 0.15);

        JsonNode answers = first.at("/answers");
        assertEquals(3, answers.size());
        for (JsonNode a : answers) {
            assertFalse(a.at("/champion/text").asText().isBlank(), a.toString());
            assertFalse(a.at("/challenger/text").asText().isBlank(), a.toString());
            assertEquals(
                    DemoAnswers.says(
                            a.at("/challenger/text").asText().strip(),
                            a.at("/answerWord").asText()),
                    a.at("/challenger/saysAnswer").asBoolean(),
                    a.toString());
        }
        assertEquals("What is Lily's dog called?", answers.at("/0/question").asText());
        assertEquals(first.at("/training/adapter/id"), answers.at("/0/challenger/model"));
        assertEquals("chat.completion", first.at("/served/response/object").asText());

        String text = CliRun.ok("demo", "--home", home.toString()).out();
        assertTrue(text.contains("60 already stored"), "nothing is imported twice: " + text);
        assertTrue(text.contains("Q: What is Lily's dog called?"), text);
        assertTrue(text.contains("taught:      Lily has a red dog named Spot."), text);
        assertTrue(text.contains("champion:") && text.contains("challenger:"), text);
        assertTrue(text.contains("gate: "), text);
        System.out.println("CliDemoRealModelIT: the first demo took " + seconds + " s");
    }
}
