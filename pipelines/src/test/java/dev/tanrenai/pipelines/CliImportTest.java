package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline import} and {@code store stats} through the CLI, on a real SQLite store. */
class CliImportTest {

    @TempDir
    Path dir;

    @Test
    void importReportsBadLinesAndKeepsGoodOnes() throws Exception {
        String home = dir.resolve("home").toString();
        Path file = dir.resolve("chats.jsonl");
        Files.write(
                file,
                List.of(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}",
                        "not json",
                        "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"bye\"}]}"));
        Path rejects = dir.resolve("rejects.jsonl");

        JsonNode report = CliRun.ok(
                        "import",
                        file.toString(),
                        "--format",
                        "openai",
                        "--home",
                        home,
                        "--rejects",
                        rejects.toString(),
                        "--json")
                .json();
        assertEquals(4, report.at("/linesRead").asLong());
        assertEquals(2, report.at("/imported").asLong());
        assertEquals(2, report.at("/rejected").asLong());
        List<String> rejected = Files.readAllLines(rejects);
        assertEquals(2, rejected.size());
        assertTrue(rejected.get(0).contains("\"line\":2"), rejected.get(0));
        assertTrue(rejected.get(1).contains("unknown role 'wizard'"), rejected.get(1));

        String text = CliRun.ok("import", file.toString(), "--format", "openai", "--home", home)
                .out();
        assertTrue(text.contains("4 lines read, 2 imported (0 new, 0 extended, 2 already stored), 2 rejected"), text);
        assertTrue(text.contains("rejects"), "the default rejects file is named: " + text);

        JsonNode stats = CliRun.ok("store", "stats", "--home", home, "--json").json();
        assertEquals(2, stats.at("/conversations").asLong());
        assertEquals(3, stats.at("/messages").asLong());
        assertEquals(
                2, stats.at("/conversationsBySource/import:openai:chats.jsonl").asLong());
    }

    @Test
    void badArgumentsGiveClearErrors() {
        String home = dir.resolve("home").toString();
        CliRun missing =
                CliRun.run("import", dir.resolve("nope.jsonl").toString(), "--format", "openai", "--home", home);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());

        CliRun format = CliRun.run("import", "x.jsonl", "--format", "csv", "--home", home);
        assertEquals(1, format.exitCode());
        assertTrue(format.err().contains("unknown format 'csv' (expected openai or sharegpt)"), format.err());

        CliRun usage = CliRun.run("import");
        assertEquals(2, usage.exitCode());

        CliRun badConfig = CliRun.run("store", "stats", "--home", home, "--store-url", "postgres://x");
        assertEquals(1, badConfig.exitCode());
        assertTrue(badConfig.err().contains("store.url"), badConfig.err());
    }
}
