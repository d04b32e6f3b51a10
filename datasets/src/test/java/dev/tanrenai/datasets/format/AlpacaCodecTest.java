package dev.tanrenai.datasets.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlpacaCodecTest {

    static final Path IDENTITY = Path.of("../../shared/conversations/llamafactory/identity.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final AlpacaCodec codec = new AlpacaCodec(1000);

    @Test
    void systemHistoryInstructionInputAndOutputBecomeTurns() throws Exception {
        Conversation c = codec.read(
                JSON.readTree("{\"system\":\"be brief\",\"history\":[[\"hi\",\"hello\"]],"
                        + "\"instruction\":\"Translate\",\"input\":\"Guten Tag\",\"output\":\"Good day\"}"),
                "alpaca",
                NOW);
        assertEquals(
                List.of(
                        Message.system("be brief"),
                        Message.user("hi"),
                        Message.assistant("hello"),
                        Message.user("Translate\nGuten Tag"),
                        Message.assistant("Good day")),
                c.messages());
        Conversation plain =
                codec.read(JSON.readTree("{\"instruction\":\"hi\",\"input\":\"\",\"output\":\"hello\"}"), "a", NOW);
        assertEquals(List.of(Message.user("hi"), Message.assistant("hello")), plain.messages());
        assertTrue(plain.id().startsWith("c-"), plain.id());
    }

    @Test
    void badRecordsAreRefusedNamingTheField() {
        assertEquals(
                "output: missing",
                assertThrows(
                                ConversationFormatException.class,
                                () -> codec.read(JSON.readTree("{\"instruction\":\"q\"}"), "a", NOW))
                        .getMessage()
                        .replaceAll(" \\(.*", ""));
        String history = assertThrows(
                        ConversationFormatException.class,
                        () -> codec.read(
                                JSON.readTree("{\"instruction\":\"q\",\"output\":\"a\",\"history\":[[\"only one\"]]}"),
                                "a",
                                NOW))
                .getMessage();
        assertTrue(history.startsWith("history[0]: expected a [query, response] pair"), history);
        String empty = assertThrows(
                        ConversationFormatException.class,
                        () -> codec.read(JSON.readTree("{\"instruction\":\"q\",\"output\":\" \"}"), "a", NOW))
                .getMessage();
        assertTrue(empty.startsWith("output: is empty"), empty);
    }

    @Test
    void theIdentityDatasetReads() throws Exception {
        assumeTrue(Files.isRegularFile(IDENTITY), IDENTITY + " is not present: the Alpaca identity set is not checked");
        JsonNode records = JSON.readTree(IDENTITY.toFile());
        Set<String> ids = new HashSet<>();
        for (JsonNode record : records) {
            Conversation c = codec.read(record, "identity", NOW);
            assertEquals(2, c.messages().size());
            assertEquals(record.get("instruction").asText(), c.messages().get(0).content());
            ids.add(c.id());
        }
        assertEquals(91, records.size());
        assertEquals(91, ids.size(), "distinct records get distinct content ids");
    }
}
