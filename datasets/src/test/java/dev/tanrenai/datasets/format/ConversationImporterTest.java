package dev.tanrenai.datasets.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports into a real SQLite store: every good record kept, every bad one reported with its number. */
class ConversationImporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private static final String BAD_UTF8_PREFIX = "{\"messages\":[{\"role\":\"user\",\"content\":\"bad ";

    @TempDir
    Path dir;

    private ConversationStore store;

    @BeforeEach
    void open() {
        store = new ConversationStore(Database.open("jdbc:sqlite:" + dir.resolve("store.db")));
    }

    private static String good(String id, String text) {
        return "{\"id\":\"" + id + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                + "\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}";
    }

    private ImportReport importFile(Path file, ChatFormat format, long maxLineBytes) throws Exception {
        ImportOptions options = new ImportOptions(3, maxLineBytes, 200, "import:test", NOW);
        return new ConversationImporter()
                .importFile(
                        file, format, store::appendAll, dir.resolve("rejects.jsonl"), options, ImportListener.none());
    }

    private List<JsonNode> rejects() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("rejects.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void everyBadLineIsReportedWithItsNumberAndEveryGoodLineIsKept() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // BOM
        String[] lines = {
            good("a", "one"), // 1
            "{\"messages\": [", // 2 malformed JSON
            "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", // 3 wrong role
            null, // 4 invalid UTF-8
            "   ", // 5 blank: not a record
            good("b", "x".repeat(300)), // 6 line too long (limit 256)
            "{\"messages\":[]}", // 7 empty
            good("c", "three") + "\r", // 8 CRLF
            "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(201) + "\"}]}", // 9 message too long
            good("d", "four") + " trailing", // 10 trailing garbage
            good("a", "one"), // 11 same as line 1: unchanged
            "{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"other\"}]}", // 12 conflicts with a
            good("e", "five"), // 13
        };
        for (String line : lines) {
            if (line == null) {
                bytes.write(BAD_UTF8_PREFIX.getBytes(StandardCharsets.UTF_8));
                bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28});
                bytes.write("\"}]}".getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.write(line.getBytes(StandardCharsets.UTF_8));
            }
            bytes.write('\n');
        }
        Path file = dir.resolve("mixed.jsonl");
        Files.write(file, bytes.toByteArray());

        ImportReport report = importFile(file, ChatFormat.OPENAI, 256);

        assertEquals(12, report.linesRead(), "13 lines, one blank");
        assertEquals(4, report.imported());
        assertEquals(3, report.created());
        assertEquals(1, report.unchanged());
        assertEquals(8, report.rejected());
        assertEquals(report.linesRead(), report.imported() + report.rejected());
        assertEquals(3, store.stats().conversations());

        List<JsonNode> rejects = rejects();
        List<Long> numbers = new ArrayList<>();
        rejects.forEach(r -> numbers.add(r.at("/line").asLong()));
        assertEquals(List.of(2L, 3L, 4L, 6L, 7L, 9L, 10L, 12L), numbers);
        assertEquals("INVALID_JSON", rejects.get(0).at("/kind").asText());
        assertEquals("messages[0].role", rejects.get(1).at("/field").asText());
        assertEquals(
                "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
                rejects.get(1).at("/raw").asText());
        int badByte = BAD_UTF8_PREFIX.length();
        assertEquals(
                "invalid UTF-8 at byte " + badByte + " of the line",
                rejects.get(2).at("/reason").asText());
        byte[] raw = Base64.getDecoder().decode(rejects.get(2).at("/rawBase64").asText());
        assertEquals((byte) 0xC3, raw[badByte], "the original bytes are kept");
        assertEquals("LINE_TOO_LONG", rejects.get(3).at("/kind").asText());
        assertTrue(rejects.get(3).at("/truncated").asBoolean());
        assertEquals(
                "is empty: a conversation needs at least one message",
                rejects.get(4).at("/reason").asText());
        assertEquals("MESSAGE_TOO_LONG", rejects.get(5).at("/kind").asText());
        assertEquals("INVALID_JSON", rejects.get(6).at("/kind").asText());
        assertEquals("CONFLICTS_WITH_STORE", rejects.get(7).at("/kind").asText());
        assertTrue(
                rejects.get(7).at("/reason").asText().contains("conversation a conflicts"),
                rejects.get(7).toString());
        assertEquals(2L, report.rejectReasons().get("invalid JSON"));

        Files.delete(dir.resolve("rejects.jsonl"));
        ImportReport again = importFile(file, ChatFormat.OPENAI, 256);
        assertEquals(0, again.created(), "re-import stores nothing twice");
        assertEquals(4, again.unchanged());
        assertEquals(8, again.rejected());
        assertEquals(3, store.stats().conversations());
    }

    @Test
    void aCleanFileWritesNoRejectsFile() throws Exception {
        Path file = dir.resolve("clean.jsonl");
        Files.writeString(file, good("a", "1") + "\n" + good("b", "2") + "\n\n" + good("a", "1") + "\n");
        ImportReport report = importFile(file, ChatFormat.OPENAI, 1 << 20);
        assertEquals(3, report.linesRead());
        assertEquals(2, report.created());
        assertEquals(1, report.unchanged());
        assertNull(report.rejectsFile());
        assertFalse(Files.exists(dir.resolve("rejects.jsonl")));
    }

    @Test
    void growingConversationsAreAppended() throws Exception {
        Path file = dir.resolve("grow.jsonl");
        Files.writeString(
                file,
                "{\"id\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}\n"
                        + "{\"id\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n");
        ImportReport report = importFile(file, ChatFormat.OPENAI, 1 << 20);
        assertEquals(1, report.created());
        assertEquals(1, report.appended());
        assertEquals(2, store.get("g").orElseThrow().messages().size());
    }

    @Test
    void shareGptJsonArraysStreamAndReportElements() throws Exception {
        Path file = dir.resolve("sharegpt.json");
        Files.writeString(
                file,
                "  [\n"
                        + "{\"conversations\":[{\"from\":\"human\",\"value\":\"q1\"},{\"from\":\"gpt\",\"value\":\"a1\"}]},\n"
                        + "{\"conversations\":[{\"from\":\"human\",\"value\":\"q2\"}]},\n"
                        + "{\"conversations\":[{\"from\":\"alien\",\"value\":\"q3\"}]},\n"
                        + "{\"conversations\":[{\"from\":\"human\",\"value\":\"q4\"}]}\n]\n");
        ImportReport report = importFile(file, ChatFormat.SHAREGPT, 1 << 20);
        assertEquals(4, report.linesRead());
        assertEquals(3, report.created());
        assertEquals(1, report.rejected());
        JsonNode reject = rejects().get(0);
        assertEquals(3, reject.at("/element").asLong());
        assertEquals("conversations[0].from", reject.at("/field").asText());
    }

    @Test
    void aBrokenArrayRejectsTheElementWhereReadingStops() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(
                file, "[{\"conversations\":[{\"from\":\"human\",\"value\":\"q1\"}]}, {\"conversations\": [}]");
        ImportReport report = importFile(file, ChatFormat.SHAREGPT, 1 << 20);
        assertEquals(2, report.linesRead());
        assertEquals(1, report.created());
        assertEquals(1, report.rejected());
        assertTrue(rejects().get(0).at("/reason").asText().contains("the rest of the array cannot be read"));
    }

    @Test
    void manyLinesStreamWithProgress() throws Exception {
        Path file = dir.resolve("big.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(good("id" + i, "question " + i)).append('\n');
        }
        Files.writeString(file, sb);
        AtomicLong lastBytes = new AtomicLong();
        ImportOptions options = new ImportOptions(500, 1 << 20, 1000, "import:big", NOW);
        ImportReport report = new ConversationImporter()
                .importFile(
                        file,
                        ChatFormat.OPENAI,
                        store::appendAll,
                        dir.resolve("r.jsonl"),
                        options,
                        (bytes, total, lines) -> lastBytes.set(bytes));
        assertEquals(5000, report.created());
        assertEquals(Files.size(file), lastBytes.get());
        assertEquals(5000, store.stats().conversations());
    }
}
