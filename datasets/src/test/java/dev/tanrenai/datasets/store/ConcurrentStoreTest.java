package dev.tanrenai.datasets.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer (like the server) and two readers (like pipelines), each with its own {@link Database}
 * on the same SQLite file, at the same time: no errors, no lost and no repeated changes.
 */
class ConcurrentStoreTest {

    private static final int CONVERSATIONS = 1500;
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void readersSeeEveryChangeExactlyOnceWhileTheWriterWrites() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("store.db");
        new ConversationStore(Database.open(url)); // create the schema before the race starts
        AtomicBoolean writerDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Map<String, Integer>> writer = pool.submit(() -> {
                ConversationStore store = new ConversationStore(Database.open(url));
                Map<String, Integer> finalSizes = new HashMap<>();
                try {
                    for (int i = 0; i < CONVERSATIONS; i++) {
                        String id = "c" + i;
                        Instant at = T0.plusSeconds(i);
                        store.append(new Conversation(
                                id, "serve", at, at, List.of(Message.user("q" + i), Message.assistant("a" + i)), null));
                        finalSizes.put(id, 2);
                        if (i % 3 == 0 && i > 0) { // a user continues an earlier conversation
                            String earlier = "c" + (i / 3);
                            store.appendTurns(earlier, List.of(Message.user("more " + i)), at);
                            finalSizes.merge(earlier, 1, Integer::sum);
                        }
                    }
                } finally {
                    writerDone.set(true);
                }
                return finalSizes;
            });
            Future<ReaderLog> reader1 = pool.submit(() -> read(url, writerDone, 50));
            Future<ReaderLog> reader2 = pool.submit(() -> read(url, writerDone, 333));

            Map<String, Integer> finalSizes = writer.get(5, TimeUnit.MINUTES);
            for (Future<ReaderLog> f : List.of(reader1, reader2)) {
                ReaderLog log = f.get(5, TimeUnit.MINUTES);
                assertEquals(log.changes.size(), new HashSet<>(log.changes).size(), "a change was read twice");
                assertEquals(finalSizes, log.lastSize, "every conversation's final state is seen");
                for (int i = 1; i < log.watermarks.size(); i++) {
                    assertTrue(log.watermarks.get(i) > log.watermarks.get(i - 1), "watermarks strictly increase");
                }
                long expectedChanges = CONVERSATIONS
                        + finalSizes.values().stream().mapToInt(n -> n - 2).sum();
                assertTrue(log.changes.size() <= expectedChanges);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private record ReaderLog(List<String> changes, Map<String, Integer> lastSize, List<Long> watermarks) {}

    private static ReaderLog read(String url, AtomicBoolean writerDone, int pageSize) {
        ConversationStore store = new ConversationStore(Database.open(url));
        List<String> changes = new ArrayList<>();
        Map<String, Integer> lastSize = new HashMap<>();
        List<Long> watermarks = new ArrayList<>();
        long watermark = 0;
        while (true) {
            boolean finalPass = writerDone.get();
            ChangeBatch batch = store.readSince(watermark, pageSize);
            for (StoredConversation sc : batch.conversations()) {
                String key = sc.conversation().id() + "@" + sc.lastSeq();
                changes.add(key);
                Integer previous = lastSize.put(
                        sc.conversation().id(), sc.conversation().messages().size());
                if (previous != null && previous >= sc.conversation().messages().size()) {
                    throw new AssertionError("a change did not grow " + key);
                }
            }
            if (!batch.isEmpty()) {
                watermark = batch.nextWatermark();
                watermarks.add(watermark);
            } else if (finalPass) {
                return new ReaderLog(changes, lastSize, watermarks);
            }
        }
    }
}
