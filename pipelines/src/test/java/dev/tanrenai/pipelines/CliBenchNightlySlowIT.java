package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline bench nightly} on a generated tiny model: one full night in a fresh home, each stage's
 * wall time from its run record, the total and the peak RSS as JSON; a home with a store is refused.
 */
class CliBenchNightlySlowIT {

    @TempDir
    Path dir;

    @Test
    void timesEveryStageOfOneNightAndRefusesAHomeWithAStore() throws Exception {
        Path home = Files.createDirectories(dir.resolve("bench"));
        Files.writeString(
                home.resolve("config.yaml"),
                "nightly:\n  generalDocuments: 10\n  train:\n    steps: 8\n    maxLength: 128\n");
        JsonNode r = CliRun.ok("bench", "nightly", "--conversations", "60", "--home", home.toString(), "--json")
                .json();
        assertEquals("nightly", r.at("/benchmark").asText());
        assertEquals(60, r.at("/conversations").asInt());
        List<String> stages = new ArrayList<>();
        double sum = 0;
        for (JsonNode s : r.at("/stages")) {
            stages.add(s.at("/stage").asText() + ":" + s.at("/state").asText());
            assertTrue(s.at("/seconds").asDouble() >= 0, s.toString());
            sum += s.at("/seconds").asDouble();
        }
        assertEquals(
                List.of(
                        "extract:succeeded",
                        "curate:succeeded",
                        "train:succeeded",
                        "evaluate:succeeded",
                        "promote:succeeded"),
                stages,
                r.toString());
        assertEquals(60, r.at("/stages/0/counts/written").asInt(), r.toString());
        double total = r.at("/totalSeconds").asDouble();
        assertTrue(sum <= total + 0.01 && sum > total / 2, "stages " + sum + " s of the total " + total + " s");
        assertTrue(r.at("/peakRssBytes").asLong() > 50L << 20, r.toString());
        assertTrue(List.of("promoted", "refused").contains(r.at("/state").asText()), r.toString());

        CliRun again = CliRun.run("bench", "nightly", "--home", home.toString());
        assertEquals(1, again.exitCode(), again.err());
        assertTrue(again.err().contains("already has a store"), again.err());
    }
}
