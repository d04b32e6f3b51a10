package dev.tanrenai.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.pipelines.PipelineCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline schedule add|list|pause|resume|remove|history}; every call is a new process-like instance. */
class CliScheduleTest {

    @TempDir
    Path home;

    private record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCli.execute(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private JsonNode ok(String... args) throws Exception {
        Run r = run(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        return r.json();
    }

    @Test
    void schedulesAreAddedListedPausedResumedAndRemoved() throws Exception {
        JsonNode added = ok("schedule", "add", "nightly", "--cron", "0 0 3 * * ?", "--zone", "Asia/Tokyo", "--json");
        assertEquals("nightly", added.at("/name").asText());
        assertEquals("skip", added.at("/misfire").asText(), "the default policy");
        Instant next = Instant.parse(added.at("/nextFires/0").asText());
        assertEquals(3, next.atZone(ZoneId.of("Asia/Tokyo")).getHour());
        ok("schedule", "add", "weekly", "--cron", "0 30 1 ? * SUN", "--misfire", "run-once", "--json");

        JsonNode list = ok("schedule", "list", "--json");
        assertEquals(2, list.size());
        assertEquals("nightly", list.at("/0/name").asText());
        assertEquals("Asia/Tokyo", list.at("/0/zone").asText());
        assertEquals(3, list.at("/0/nextFires").size());
        assertEquals("weekly", list.at("/1/name").asText());
        assertEquals("run-once", list.at("/1/misfire").asText());
        assertEquals("UTC", list.at("/1/zone").asText(), "the default zone");

        assertEquals(
                "paused",
                ok("schedule", "pause", "weekly", "--json")
                        .at("/schedule/state")
                        .asText());
        assertEquals("paused", ok("schedule", "list", "--json").at("/1/state").asText());
        assertEquals(
                "active",
                ok("schedule", "resume", "weekly", "--json")
                        .at("/schedule/state")
                        .asText());
        ok("schedule", "remove", "weekly", "--json");
        JsonNode after = ok("schedule", "list", "--json");
        assertEquals(1, after.size());
        assertEquals(0, ok("schedule", "history", "nightly", "--json").size(), "never fired");

        Run text = run("schedule", "list");
        assertTrue(text.out().contains("nightly  '0 0 3 * * ?' Asia/Tokyo  misfire skip  active  next ["), text.out());
    }

    @Test
    void badInputFailsWithAMessageNamingIt() throws Exception {
        Run cron = run("schedule", "add", "n", "--cron", "0 0 3 * *");
        assertEquals(1, cron.code());
        assertTrue(cron.err().contains("invalid cron expression '0 0 3 * *'"), cron.err());
        Run zone = run("schedule", "add", "n", "--cron", "0 0 3 * * ?", "--zone", "Mars/Olympus");
        assertEquals(1, zone.code());
        assertTrue(zone.err().contains("unknown time zone 'Mars/Olympus'"), zone.err());
        Run policy = run("schedule", "add", "n", "--cron", "0 0 3 * * ?", "--misfire", "always");
        assertEquals(1, policy.code());
        assertTrue(policy.err().contains("misfire policy must be one of skip, run-once"), policy.err());
        Run missing = run("schedule", "pause", "ghost");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no schedule named ghost"), missing.err());
        ok("schedule", "add", "n", "--cron", "0 0 3 * * ?", "--json");
        Run twice = run("schedule", "add", "n", "--cron", "0 0 4 * * ?");
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("a schedule named n exists"), twice.err());
        assertEquals(
                "0 0 3 * * ?", ok("schedule", "list", "--json").at("/0/cron").asText(), "nothing lost");
    }
}
