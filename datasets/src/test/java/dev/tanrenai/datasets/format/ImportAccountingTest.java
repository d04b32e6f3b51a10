package dev.tanrenai.datasets.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §5: the layout is decided by the file (a JSONL file whose first record is an array keeps
 * every line), nothing after an array is dropped, and implausible times are rejected at import
 * naming the line and the value.
 */
class ImportAccountingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    private ConversationStore store;

    @BeforeEach
    void open() {
        store = new ConversationStore(Database.open("jdbc:sqlite:" + dir.resolve("store.db")));
    }

    private static String good(String id, String extra) {
        return "{\"id\":\"" + id + "\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"q " + id
                + "\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";
    }

    private ImportReport importFile(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return new ConversationImporter()
                .importFile(
                        file,
                        ChatFormat.OPENAI,
                        store::appendAll,
                        dir.resolve("rejects.jsonl"),
                        ImportOptions.defaults("import:test", NOW),
                        ImportListener.none());
    }

    private List<JsonNode> rejects() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("rejects.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void aJsonlFileWhoseFirstLineIsAnArrayKeepsEveryLine() throws Exception {
        ImportReport report = importFile(
                "chats.jsonl",
                "[{\"role\":\"user\",\"content\":\"a bare message list\"}]\n" + good("a", "") + "\n" + good("b", "")
                        + "\n");
        assertEquals(3, report.linesRead(), "every line is read");
        assertEquals(2, report.created(), "the records after the first line are imported");
        assertEquals(1, report.rejected());
        assertEquals(1, rejects().get(0).at("/line").asLong(), rejects().toString());
        assertEquals(2, store.stats().conversations());
    }

    @Test
    void contentAfterAnArrayIsRejectedWithItsLinesNotDropped() throws Exception {
        ImportReport report = importFile("chats.json", "[\n" + good("a", "") + "\n]\n" + good("b", "") + "\n");
        assertEquals(1, report.created());
        assertEquals(1, report.rejected(), "the record after the array is accounted for");
        JsonNode reject = rejects().get(0);
        assertTrue(reject.at("/reason").asText().contains("lines 3-4"), reject.toString());
        assertEquals(report.linesRead(), report.imported() + report.rejected());
    }

    @Test
    void aBrokenMultiLineArrayNamesTheLinesItCouldNotRead() throws Exception {
        ImportReport report =
                importFile("chats.json", "[\n" + good("a", "") + ",\n{\"messages\": [}\n,\n" + good("c", "") + "\n]\n");
        assertEquals(1, report.created());
        JsonNode reject = rejects().get(0);
        assertEquals(2, reject.at("/element").asLong());
        assertTrue(reject.at("/reason").asText().contains("lines 3-6"), reject.toString());
    }

    @Test
    void implausibleTimesAreRejectedNamingTheLineAndTheValue() throws Exception {
        ImportReport report = importFile(
                "times.jsonl",
                good("seconds", ",\"created_at\":1764600000") + "\n"
                        + good("micros", ",\"created_at\":1764600000000000") + "\n"
                        + good("far", ",\"created_at\":\"+55919-01-01T00:00:00Z\"") + "\n"
                        + good("negative", ",\"timestamp\":-5") + "\n"
                        + good("iso", ",\"created_at\":\"2025-12-01T14:40:00Z\"") + "\n");
        assertEquals(2, report.created(), "seconds and ISO-8601 in range are kept");
        assertEquals(3, report.rejected());
        List<JsonNode> rejects = rejects();
        assertEquals(
                List.of(2L, 3L, 4L),
                rejects.stream().map(r -> r.at("/line").asLong()).toList());
        rejects.forEach(r -> assertEquals("IMPLAUSIBLE_TIME", r.at("/kind").asText(), r.toString()));
        String micros = rejects.get(0).at("/reason").asText();
        assertTrue(
                micros.contains("1764600000000000")
                        && micros.contains("2100-01-01T00:00:00Z")
                        && micros.contains("as epoch microseconds it would be 2025-12-01T14:40:00Z"),
                micros);
        assertEquals("created_at", rejects.get(0).at("/field").asText());
        assertTrue(rejects.get(1).at("/reason").asText().contains("+55919-01-01T00:00:00Z"), rejects.toString());
        assertEquals("timestamp", rejects.get(2).at("/field").asText());
        assertEquals(
                Instant.ofEpochSecond(1764600000L),
                store.get("seconds").orElseThrow().createdAt());
    }
}
