package dev.tanrenai.train.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay buffer in a real SQLite store. */
class ReplayBufferTest {

    @TempDir
    Path dir;

    private static List<Conversation> conversations(int from, int to) {
        List<Conversation> out = new ArrayList<>();
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = from; i < to; i++) {
            out.add(new Conversation(
                    "c" + i, "serve", t, t, List.of(Message.user("q" + i), Message.assistant("a" + i)), Map.of()));
        }
        return out;
    }

    private List<String> ids(ReplayBuffer buffer) {
        return buffer.contents().stream().map(Conversation::id).toList();
    }

    @Test
    void keepsASeededSampleIndependentOfHowRunsSplitTheData() {
        ReplayBuffer oneRun = new ReplayBuffer(Database.open("jdbc:sqlite:" + dir.resolve("a.db")), 10, 5);
        oneRun.offer(conversations(0, 100), "run-1");
        ReplayBuffer threeRuns = new ReplayBuffer(Database.open("jdbc:sqlite:" + dir.resolve("b.db")), 10, 5);
        threeRuns.offer(conversations(0, 7), "run-1");
        threeRuns.offer(conversations(7, 60), "run-2");
        threeRuns.offer(conversations(60, 100), "run-3");

        assertEquals(10, oneRun.contents().size(), "capacity is respected");
        assertEquals(100, oneRun.seen());
        assertEquals(ids(oneRun), ids(threeRuns), "same data, same seed, same buffer");
        assertTrue(ids(oneRun).stream().anyMatch(id -> Integer.parseInt(id.substring(1)) >= 10), "later items get in");
        assertEquals(
                conversations(0, 100)
                        .get(Integer.parseInt(ids(oneRun).get(0).substring(1)))
                        .messages(),
                oneRun.contents().get(0).messages(),
                "conversations come back whole");
    }

    @Test
    void anEvaluationCanLeaveOutWhatTheEvaluatedRunAdded() {
        ReplayBuffer buffer = new ReplayBuffer(Database.open("jdbc:sqlite:" + dir.resolve("n.db")), 100, 1);
        buffer.offer(conversations(0, 3), "night-1");
        buffer.offer(conversations(3, 5), "night-2");
        assertEquals(
                List.of("c0", "c1", "c2"),
                buffer.contentsNotAddedBy("night-2").stream()
                        .map(Conversation::id)
                        .sorted()
                        .toList());
        assertEquals(5, buffer.contentsNotAddedBy("night-0").size());
        assertTrue(new ReplayBuffer(Database.open("jdbc:sqlite:" + dir.resolve("m.db")), 10, 1)
                .contentsNotAddedBy("night-1")
                .isEmpty());
        Database fresh = Database.open("jdbc:sqlite:" + dir.resolve("f.db"));
        assertTrue(ReplayBuffer.existing(fresh).isEmpty(), "reading creates no buffer");
        assertTrue(ReplayBuffer.existing(fresh).isEmpty());
        assertEquals(
                100,
                ReplayBuffer.existing(Database.open("jdbc:sqlite:" + dir.resolve("n.db")))
                        .orElseThrow()
                        .capacity());
    }

    @Test
    void isPersistentAndRefusesOtherSamplingSettings() {
        String url = "jdbc:sqlite:" + dir.resolve("r.db");
        ReplayBuffer buffer = new ReplayBuffer(Database.open(url), 4, 1);
        buffer.offer(conversations(0, 3), "run-1");
        ReplayBuffer reopened = new ReplayBuffer(Database.open(url), 4, 1);
        assertEquals(3, reopened.contents().size());
        assertEquals(3, reopened.seen());
        StoreException e = assertThrows(StoreException.class, () -> new ReplayBuffer(Database.open(url), 8, 1));
        assertTrue(e.getMessage().contains("capacity 4"), e.getMessage());
    }
}
