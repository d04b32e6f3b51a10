package dev.tanrenai.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extract end to end on the direct runner: store + file in, snapshot and quarantine out, watermark after. */
class ExtractJobTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    TanrenaiHome home;
    ConversationStore store;

    static Conversation chat(String id, Message... messages) {
        return new Conversation(id, "serve", T, T, List.of(messages), Map.of());
    }

    @BeforeEach
    void seed() {
        home = new TanrenaiHome(dir.resolve("home")).initialize();
        store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        for (int i = 0; i < 5; i++) {
            store.append(chat("good-" + i, Message.user("question " + i), Message.assistant("answer " + i)));
        }
        store.append(chat("unanswered", Message.user("hello?")));
        store.append(chat("backwards", Message.assistant("I start"), Message.user("odd")));
    }

    Path file() throws Exception {
        Path f = dir.resolve("import.jsonl");
        byte[] good =
                "{\"id\":\"file-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}]}\n"
                        .getBytes(StandardCharsets.UTF_8);
        byte[] broken = "{\"messages\": [\n".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = {'{', '"', 'x', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'};
        Files.write(f, concat(good, broken, latin1));
        return f;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    ExtractJob.Request request(List<ExtractJob.FileInput> files) {
        return new ExtractJob.Request(
                home.defaultJdbcUrl(),
                home.datasetsDir(),
                "extracted",
                files,
                ValidationRules.defaults(),
                null,
                List.of(),
                home.runsDir().resolve("extract-work"));
    }

    @Test
    void extractsValidatesQuarantinesAndCommitsTheWatermarkAfterTheSnapshot() throws Exception {
        ExtractJob.Result r = ExtractJob.run(request(List.of(new ExtractJob.FileInput(file(), ChatFormat.OPENAI))));
        assertEquals(6, r.snapshot().rowCount(), r.counts().toString());
        assertEquals(6L, r.counts().get("written"));
        assertEquals(1L, r.counts().get("quarantined.no_assistant_turn"));
        assertEquals(1L, r.counts().get("quarantined.role_order"));
        assertEquals(1L, r.counts().get("quarantined.malformed"));
        assertEquals(1L, r.counts().get("quarantined.invalid_utf8"));
        assertEquals(10L, r.counts().get("read"), "read = written + quarantined: nothing dropped");
        String quarantined;
        try (Stream<Path> parts = Files.list(r.quarantine())) {
            StringBuilder sb = new StringBuilder();
            for (Path p : parts.toList()) {
                sb.append(Files.readString(p));
            }
            quarantined = sb.toString();
        }
        assertTrue(quarantined.contains("import.jsonl:3") && quarantined.contains("raw_base64"), quarantined);
        assertTrue(quarantined.contains("\"origin\":\"store:"), quarantined);
        assertEquals(r.upTo(), new Watermarks(Database.open(home.defaultJdbcUrl())).get("extracted"));

        ExtractJob.Result nothing = ExtractJob.run(request(List.of()));
        assertEquals(r.upTo(), nothing.from(), "incremental: the next run starts at the committed watermark");
        assertEquals(0L, nothing.counts().get("read"));

        store.append(chat("later", Message.user("new"), Message.assistant("turn")));
        ExtractJob.Result next = ExtractJob.run(request(List.of()));
        assertEquals(1, next.snapshot().rowCount());
        assertEquals("later", next.snapshot().stream().findFirst().orElseThrow().id());
    }

    @Test
    void aRunKilledBeforeItsCommitIsRerunToTheIdenticalSnapshot() throws Exception {
        String[] killed = new String[1];
        assertThrows(
                IllegalStateException.class,
                () -> ExtractJob.run(request(List.of()), s -> {
                    killed[0] = s.id();
                    throw new IllegalStateException("killed after the snapshot, before the commit");
                }));
        assertEquals(0, new Watermarks(Database.open(home.defaultJdbcUrl())).get("extracted"), "nothing committed");
        ExtractJob.Result rerun = ExtractJob.run(request(List.of()));
        assertEquals(killed[0], rerun.snapshot().id(), "same cut, same snapshot (same hash)");
        assertEquals(5, rerun.snapshot().rowCount());
        assertEquals(rerun.upTo(), new Watermarks(Database.open(home.defaultJdbcUrl())).get("extracted"));
    }

    @Test
    void readsShareGptJsonArraysAndPreviousSnapshotsLosingNothing() throws Exception {
        ExtractJob.Result first = ExtractJob.run(request(List.of()));
        assertEquals(5, first.snapshot().rowCount());
        Path array = dir.resolve("sharegpt.json");
        Files.writeString(
                array,
                "[\n {\"id\": \"sg-1\", \"conversations\": [{\"from\": \"human\", \"value\": \"hi\"},\n"
                        + "   {\"from\": \"gpt\", \"value\": \"hello\"}]},\n"
                        + " {\"id\": \"sg-2\", \"conversations\": [{\"from\": \"gpt\", \"value\": \"first?\"}]},\n"
                        + " {\"id\": \"sg-3\", \"conversations\": [{\"from\": \"human\", \"value\": \"broken\"\n",
                StandardCharsets.UTF_8);
        ExtractJob.Result r = ExtractJob.run(request(List.of(
                new ExtractJob.FileInput(array, ChatFormat.SHAREGPT),
                new ExtractJob.FileInput(first.snapshot().dir(), ChatFormat.OPENAI))));
        // the store has nothing new; 5 from the snapshot + sg-1 written; sg-2 and the broken tail quarantined
        assertEquals(6L, r.counts().get("written"), r.counts().toString());
        assertEquals(8L, r.counts().get("read"), r.counts().toString());
        assertEquals(1L, r.counts().get("quarantined.malformed"), r.counts().toString());
        assertTrue(r.snapshot().manifest().provenance().inputs().stream()
                .anyMatch(in -> in.kind().equals("snapshot")
                        && in.sha256().equals(first.snapshot().manifest().contentSha256())));
        String quarantined;
        try (Stream<Path> parts = Files.list(r.quarantine())) {
            StringBuilder sb = new StringBuilder();
            for (Path p : parts.toList()) {
                sb.append(Files.readString(p));
            }
            quarantined = sb.toString();
        }
        assertTrue(quarantined.contains("sharegpt.json:#2") && quarantined.contains("broken"), quarantined);
    }

    @Test
    void oneStoredConversationWithAnImplausibleTimeIsQuarantinedAndBreaksNoRun() throws Exception {
        Instant micros = Instant.ofEpochSecond(1764600000000000L); // epoch microseconds read as seconds
        store.append(new Conversation(
                "from-the-far-future",
                "import:openai:old.jsonl",
                micros,
                micros,
                List.of(Message.user("when?"), Message.assistant("later")),
                Map.of()));
        ExtractJob.Result r = ExtractJob.run(request(List.of()));
        assertEquals(5, r.snapshot().rowCount(), r.counts().toString());
        assertEquals(
                1L, r.counts().get("quarantined.implausible_time"), r.counts().toString());
        String quarantined;
        try (Stream<Path> parts = Files.list(r.quarantine())) {
            StringBuilder sb = new StringBuilder();
            for (Path p : parts.toList()) {
                sb.append(Files.readString(p));
            }
            quarantined = sb.toString();
        }
        assertTrue(quarantined.contains("from-the-far-future") && quarantined.contains(micros.toString()), quarantined);
        assertEquals(r.upTo(), new Watermarks(Database.open(home.defaultJdbcUrl())).get("extracted"));
        store.append(chat("after", Message.user("next"), Message.assistant("one")));
        assertEquals(1, ExtractJob.run(request(List.of())).snapshot().rowCount(), "the next run works");
    }

    @Test
    void aJsonlInputWhoseFirstLineIsAnArrayLosesNoLine() throws Exception {
        Path f = dir.resolve("chats.jsonl");
        Files.writeString(
                f,
                "[{\"role\":\"user\",\"content\":\"a bare list\"}]\n"
                        + "{\"id\":\"f-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                        + "{\"role\":\"assistant\",\"content\":\"yo\"}]}\n"
                        + "{\"id\":\"f-2\",\"messages\":[{\"role\":\"user\",\"content\":\"hey\"},"
                        + "{\"role\":\"assistant\",\"content\":\"ho\"}]}\n",
                StandardCharsets.UTF_8);
        ExtractJob.Result r = ExtractJob.run(new ExtractJob.Request(
                home.defaultJdbcUrl(),
                home.datasetsDir(),
                "files",
                List.of(new ExtractJob.FileInput(f, ChatFormat.OPENAI)),
                ValidationRules.defaults(),
                null,
                List.of(),
                home.runsDir().resolve("extract-work")));
        // 7 from the store (5 valid) and 3 lines from the file (2 valid, line 1 quarantined)
        assertEquals(10L, r.counts().get("read"), r.counts().toString());
        assertEquals(7L, r.counts().get("written"), r.counts().toString());
        assertEquals(1L, r.counts().get("quarantined.malformed"), r.counts().toString());
    }
}
