package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runners tier ({@code -Prunners}): {@code pipeline run extract} and {@code run curate} with
 * {@code --runner flink} (embedded, parallelism 2) and with {@code --runner spark} (local[2]), the
 * runners runtime dependencies of the CLI, give the very snapshot ids of the direct runner on the same home — publishing a different manifest
 * under an existing id would fail.
 */
class CliRunnersIT {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void flinkGivesTheSnapshotIdsOfTheDirectRunner() throws Exception {
        sameSnapshotIdsAsTheDirectRunner(List.of("--runner", "flink", "--parallelism", "2"));
    }

    @Test
    void sparkGivesTheSnapshotIdsOfTheDirectRunner() throws Exception {
        sameSnapshotIdsAsTheDirectRunner(List.of("--runner", "spark", "--spark-master", "local[2]"));
    }

    private void sameSnapshotIdsAsTheDirectRunner(List<String> runner) throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        Random random = new Random(11);
        for (int i = 0; i < 120; i++) {
            String answer =
                    CliCurateTest.sentence(random, 30) + (i % 10 == 0 ? " mail me at u" + i + "@example.org" : "");
            store.append(new Conversation(
                    "c-" + i,
                    "serve",
                    T,
                    T,
                    List.of(Message.user(CliCurateTest.sentence(random, 8) + "?"), Message.assistant(answer)),
                    Map.of()));
        }
        for (int i = 0; i < 6; i++) { // exact copies for dedupe
            store.append(new Conversation(
                    "copy-" + i,
                    "serve",
                    T,
                    T,
                    List.of(Message.user("Same?"), Message.assistant("Same answer.")),
                    Map.of()));
        }
        store.append(new Conversation("bad", "serve", T, T, List.of(Message.user("unanswered")), Map.of()));
        String h = home.root().toString();

        JsonNode direct = CliRun.ok("run", "extract", "--home", h, "--since", "0", "--json")
                .json();
        JsonNode other = CliRun.ok(args(List.of("run", "extract", "--home", h, "--since", "0", "--json"), runner))
                .json();
        assertEquals(126L, direct.at("/counts/written").asLong(), direct.toString());
        assertEquals(1L, other.at("/counts/quarantined").asLong(), other.toString());
        assertEquals(direct.at("/snapshot").asText(), other.at("/snapshot").asText(), "extract: " + other);

        JsonNode curatedDirect = CliRun.ok("run", "curate", "--home", h, "--snapshot", "extracted", "--json")
                .json();
        JsonNode curatedOther = CliRun.ok(
                        args(List.of("run", "curate", "--home", h, "--snapshot", "extracted", "--json"), runner))
                .json();
        assertEquals(5L, curatedDirect.at("/counts/duplicates.exact").asLong(), curatedDirect.toString());
        assertTrue(curatedDirect.at("/counts/redacted.EMAIL").asLong() >= 12, curatedDirect.toString());
        assertEquals(
                curatedDirect.at("/snapshot").asText(),
                curatedOther.at("/snapshot").asText(),
                "curate: " + curatedOther);
    }

    private static String[] args(List<String> command, List<String> runner) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(command);
        all.addAll(runner);
        return all.toArray(String[]::new);
    }
}
