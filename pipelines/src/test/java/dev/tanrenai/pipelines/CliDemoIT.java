package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, {@code pipeline demo}, end to end and twice. */
class CliDemoIT {

    @TempDir
    Path home;

    @Test
    void demoRunsEndToEndAndIsIdempotent() {
        JsonNode first = CliRun.ok("demo", "--home", home.toString(), "--json").json();
        assertEquals(31, first.at("/imports/0/created").asLong());
        assertEquals(0, first.at("/imports/0/rejected").asLong());
        assertEquals(6, first.at("/imports/1/created").asLong());
        assertEquals(37, first.at("/store/conversations").asLong());
        assertEquals(37, first.at("/snapshot/rowCount").asLong());
        assertTrue(first.at("/champion/id").asText().startsWith("m-"));
        assertFalse(first.at("/reply/text").asText().isEmpty(), "the champion answered");
        String adapterId = first.at("/training/adapter/id").asText();
        assertTrue(adapterId.startsWith("a-"), "a challenger was trained: " + first.at("/training"));
        assertEquals(adapterId, first.at("/challengerReply/model").asText());
        assertTrue(
                first.at("/training/metrics/finalLoss").asDouble()
                        < first.at("/training/metrics/firstLoss").asDouble(),
                "the loss fell: " + first.at("/training/metrics"));

        JsonNode second = CliRun.ok("demo", "--home", home.toString(), "--json").json();
        assertEquals(31, second.at("/imports/0/unchanged").asLong(), "nothing is imported twice");
        assertEquals(37, second.at("/store/conversations").asLong());
        assertEquals(first.at("/snapshot/snapshotId"), second.at("/snapshot/snapshotId"), "same store, same snapshot");
        assertEquals(first.at("/champion/id"), second.at("/champion/id"));
        assertEquals(first.at("/reply/text"), second.at("/reply/text"), "greedy replies repeat");
        assertEquals(adapterId, second.at("/training/adapter/id").asText(), "the same snapshot is not trained twice");
        assertEquals(first.at("/challengerReply/text"), second.at("/challengerReply/text"));

        String text = CliRun.ok("demo", "--home", home.toString()).out();
        assertTrue(text.contains("[6/6] champion and challenger answer"), text);
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home.toString(), "--json")
                .json();
        assertEquals(1, history.size(), "the champion alias moved once");
    }
}
