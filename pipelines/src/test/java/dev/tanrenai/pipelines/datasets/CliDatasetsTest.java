package dev.tanrenai.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.PipelineCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliDatasetsTest {

    @TempDir
    Path home;

    private JsonNode run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void snapshotsOfTheStoreAreDeterministicAndIncremental() throws Exception {
        ConversationStore store = new ConversationStore(Database.open("jdbc:sqlite:" + home.resolve("store.db")));
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            store.append(new Conversation(
                    "c" + i, "test", t, t, List.of(Message.user("q" + i), Message.assistant("a")), Map.of()));
        }
        JsonNode first = run("datasets", "snapshot", "--home", home.toString(), "--json");
        assertEquals(5, first.at("/rowCount").asLong());
        assertEquals(5, first.at("/provenance/inputs/0/watermark").asLong());
        assertTrue(first.at("/provenance/inputs/0/uri").asText().startsWith("jdbc:sqlite:"));
        JsonNode again = run("datasets", "snapshot", "--home", home.toString(), "--json");
        assertEquals(first.at("/snapshotId"), again.at("/snapshotId"), "the same store gives the same snapshot");

        store.append(new Conversation("c9", "test", t, t, List.of(Message.user("late")), Map.of()));
        JsonNode incremental = run("datasets", "snapshot", "--home", home.toString(), "--since", "5", "--json");
        assertEquals(1, incremental.at("/rowCount").asLong());
        assertEquals(
                first.at("/snapshotId").asText(),
                incremental.at("/provenance/parent").asText());
        assertNotEquals(first.at("/snapshotId"), incremental.at("/snapshotId"));

        JsonNode list = run("datasets", "list", "--home", home.toString(), "--json");
        assertEquals(2, list.size());
        DatasetSnapshot opened =
                DatasetSnapshot.open(Path.of(list.get(0).at("/dir").asText()));
        assertTrue(opened.rowCount() == 5 || opened.rowCount() == 1);

        JsonNode inspected = run("datasets", "inspect", "conversations", "--home", home.toString(), "--json");
        assertEquals(incremental.at("/snapshotId"), inspected.at("/snapshotId"), "a dataset name opens its latest");
    }

    @Test
    void aStoredConversationWithAnImplausibleTimeIsQuarantinedNotFatal() throws Exception {
        ConversationStore store = new ConversationStore(Database.open("jdbc:sqlite:" + home.resolve("store.db")));
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        Instant micros = Instant.ofEpochSecond(1764600000000000L); // stored before imports checked times
        store.append(
                new Conversation("ok", "test", t, t, List.of(Message.user("q"), Message.assistant("a")), Map.of()));
        store.append(new Conversation(
                "bad-time", "test", micros, micros, List.of(Message.user("q"), Message.assistant("a")), Map.of()));
        JsonNode snapshot = run("datasets", "snapshot", "--home", home.toString(), "--json");
        assertEquals(1, snapshot.at("/rowCount").asLong(), snapshot.toString());
        assertEquals(1, snapshot.at("/counts/quarantined.implausible_time").asLong(), snapshot.toString());
        String quarantined = java.nio.file.Files.readString(
                home.resolve("quarantine").resolve("conversations").resolve("snapshot-0-2.jsonl"));
        assertTrue(quarantined.contains("bad-time") && quarantined.contains(micros.toString()), quarantined);
    }
}
