package dev.tanrenai.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.PipelineCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline scheduler} as its own process: a schedule added by another process (this one) while
 * it runs is fired; the embedded job store (H2, auto-server) is shared by both processes while the
 * SQLite conversation store is written all the time; on SIGTERM the running child is waited for and
 * its end recorded.
 */
class CliSchedulerProcessIT {

    @TempDir
    Path home;

    private JsonNode cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString(), "--json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCli.execute(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, String.join(" ", all) + "\n" + err.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private JsonNode awaitHistory(Predicate<JsonNode> done, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode h = cli("schedule", "history", "often");
            if (done.test(h)) {
                return h;
            }
            if (Instant.now().isAfter(deadline)) {
                Path log = home.resolve("scheduler.out");
                throw new AssertionError("history did not get there in " + timeout + ": " + h + "\nscheduler output:\n"
                        + (Files.exists(log) ? Files.readString(log) : "(none)"));
            }
            Thread.sleep(500);
        }
    }

    @Test
    void aSchedulerProcessFiresSchedulesAddedFromAnotherProcessAndStopsGracefully() throws Exception {
        ConversationStore store = new ConversationStore(Database.open("jdbc:sqlite:" + home.resolve("store.db")));
        Path processLog = home.resolve("scheduler.out");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCli.class.getName(),
                "scheduler",
                "--home",
                home.toString(),
                "--grace",
                "30"));
        for (String arg : List.of("/bin/sh", "-c", "echo start; sleep 2; echo done")) {
            command.addAll(List.of("--fire-command", arg));
        }
        Process scheduler = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(processLog.toFile())
                .start();
        AtomicInteger written = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Instant t = Instant.parse("2026-11-01T00:00:00Z");
            try {
                while (!stop.get()) {
                    int i = written.get();
                    store.append(new Conversation(
                            "c" + i, "test", t, t, List.of(Message.user("q" + i), Message.assistant("a")), Map.of()));
                    written.incrementAndGet();
                    Thread.sleep(2); // a busy server's pace, not a tight loop that starves other writers
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        writer.start();
        try {
            cli("schedule", "add", "often", "--cron", "0/3 * * * * ?");
            // the scheduler process picks the new schedule up and fires it
            awaitHistory(h -> h.size() >= 1, Duration.ofSeconds(60));
            awaitHistory(
                    h -> h.size() >= 1
                            && h.get(h.size() - 1).at("/outcome").asText().equals("running"),
                    Duration.ofSeconds(30));
            scheduler.destroy(); // SIGTERM while a child runs
            assertTrue(scheduler.waitFor(60, TimeUnit.SECONDS), Files.readString(processLog));
        } finally {
            stop.set(true);
            writer.join();
            scheduler.destroyForcibly();
        }
        assertEquals(null, writerFailure.get(), "the store's writer never failed");
        assertTrue(written.get() > 10, "conversations written meanwhile: " + written.get());
        assertEquals(written.get(), store.stats().conversations(), "every write is in the store");

        JsonNode history = cli("schedule", "history", "often");
        for (JsonNode fire : history) {
            assertEquals("succeeded", fire.at("/outcome").asText(), history.toString());
            assertEquals(0, fire.at("/exitCode").asInt(), history.toString());
            assertTrue(fire.at("/durationMillis").asLong() >= 2000, history.toString());
            String log = Files.readString(Path.of(fire.at("/log").asText()));
            assertTrue(log.contains("start\ndone\n"), log);
        }
        // the lock was released: a schedule list (and a new scheduler) work as before
        JsonNode list = cli("schedule", "list");
        assertEquals(
                "often", list.at("/0/name").asText(), list + "\nscheduler output:\n" + Files.readString(processLog));
    }
}
