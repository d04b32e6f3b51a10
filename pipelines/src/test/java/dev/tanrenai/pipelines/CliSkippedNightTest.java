package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.pipelines.config.ConfigLoader;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.loop.NightlyRun;
import dev.tanrenai.pipelines.loop.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night the scheduler did not run (a fire skipped by its misfire policy after downtime) is a
 * skipped run record with its reason, listed by {@code runs list} beside the nights that ran.
 */
class CliSkippedNightTest {

    @TempDir
    Path dir;

    @Test
    void aFireNotRunIsASkippedRunOfTriggerScheduleInTheRunsList() throws Exception {
        Path home = dir.resolve("home");
        TanrenaiConfig config = new ConfigLoader().load(home, null, Map.of(), Map.of());
        config.home().initialize();
        Instant at = Instant.parse("2026-12-06T03:00:00Z");
        RunRecord r = NightlyRun.recordNotRun(
                config, "nightly", at, "skipped (missed: no scheduler ran until ...; policy skip)");
        assertTrue(Files.isRegularFile(r.reportFile()), r.reportFile().toString());
        assertTrue(Files.readString(r.logFile()).contains("policy skip"));

        JsonNode list =
                CliRun.ok("runs", "list", "--home", home.toString(), "--json").json();
        assertEquals(1, list.size(), list.toString());
        JsonNode run = list.get(0);
        assertEquals(r.id(), run.at("/id").asText());
        assertEquals("skipped", run.at("/state").asText());
        assertEquals("schedule", run.at("/trigger").asText());
        assertEquals(at.toString(), run.at("/started").asText());
        assertTrue(
                run.at("/reason").asText().startsWith("schedule nightly did not run its fire of " + at),
                run.toString());
        assertTrue(r.id().startsWith("n-20261206-030000-"), r.id());

        String text = CliRun.ok("runs", "list", "--home", home.toString()).out();
        assertTrue(text.contains(r.id()) && text.contains("skipped") && text.contains("policy skip"), text);
    }
}
