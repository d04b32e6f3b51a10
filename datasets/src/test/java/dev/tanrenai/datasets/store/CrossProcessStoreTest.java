package dev.tanrenai.datasets.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer in another JVM process (like the server) and a reader here (like a pipeline), on one SQLite file. */
class CrossProcessStoreTest {

    private static final int COUNT = 600;

    @TempDir
    Path dir;

    @Test
    void aReaderInAnotherProcessSeesEveryChangeOnce() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("store.db");
        ConversationStore reader = new ConversationStore(Database.open(url));
        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        StoreWriterProcess.class.getName(),
                        url,
                        Integer.toString(COUNT))
                .redirectErrorStream(true)
                .start();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> sizes = new HashMap<>();
        long watermark = 0;
        boolean writerDone = false;
        while (true) {
            boolean finalPass = writerDone;
            ChangeBatch batch = reader.readSince(watermark, 64);
            for (StoredConversation sc : batch.conversations()) {
                assertTrue(seen.add(sc.conversation().id() + "@" + sc.lastSeq()), "a change was read twice");
                sizes.put(sc.conversation().id(), sc.conversation().messages().size());
            }
            watermark = batch.nextWatermark();
            if (batch.isEmpty() && finalPass) {
                break;
            }
            writerDone = !writer.isAlive();
        }
        assertTrue(writer.waitFor(2, TimeUnit.MINUTES));
        String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, writer.exitValue(), output);
        assertEquals(COUNT, sizes.size(), "every conversation was seen");
        int appended = (COUNT - 1) / 5;
        assertEquals(
                COUNT + appended,
                sizes.values().stream().mapToInt(Integer::intValue).sum(),
                "every turn was seen");
        assertEquals(reader.stats().lastSequence(), watermark);
    }
}
