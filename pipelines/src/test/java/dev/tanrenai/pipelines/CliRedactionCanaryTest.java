package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.curate.HistoryIndex;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redaction that leaks nothing, end to end: every canary of curate's corpus
 * ({@code curate/src/test/resources/dev/tanrenai/curate/redaction-*.tsv}) planted in every text
 * context of a user turn, and in system prompts, tool-call arguments, tool results and ShareGPT
 * values, goes through {@code pipeline run curate}; then the bytes of every file the run wrote
 * (Arrow parts, manifests, reports, quarantine) and of a replay buffer and dedupe history index
 * filled from the curated snapshot (as {@code run train} fills them) hold none of the canaries.
 * Only the store and the extracted snapshot (its raw copy, before curation) may hold them.
 */
class CliRedactionCanaryTest {

    static final Path CORPUS = Path.of("../curate/src/test/resources/dev/tanrenai/curate");
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void noCanarySurvivesInAnyFileCurationWrites() throws Exception {
        List<String[]> canaries = rows("redaction-canaries.tsv", 3);
        List<String[]> contexts = rows("redaction-contexts.tsv", 2);
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        Random random = new Random(13);
        int planted = 0;
        List<Conversation> batch = new ArrayList<>();
        for (int k = 0; k < canaries.size(); k++) {
            String secret = canaries.get(k)[1];
            for (int x = 0; x < contexts.size(); x++) {
                String text = contexts.get(x)[1]
                        .replace("{SJ}", json(secret))
                        .replace("{S}", secret)
                        .replace("{BS}", "\\");
                batch.add(new Conversation(
                        "k" + k + "-" + contexts.get(x)[0],
                        "serve",
                        T,
                        T,
                        List.of(Message.user(words(random, 12) + "\n" + text), Message.assistant(words(random, 60))),
                        Map.of()));
                planted++;
            }
            String args = "{\"query\":\"" + json(secret) + "\"}";
            batch.add(new Conversation(
                    "k" + k + "-turns",
                    "serve",
                    T,
                    T,
                    List.of(
                            Message.system("You are a helpful bot. Internal note: " + secret),
                            Message.user(words(random, 12)),
                            new Message(
                                    Role.ASSISTANT,
                                    "",
                                    List.of(new ToolCall("call_1", "lookup", args)),
                                    null,
                                    null,
                                    null),
                            Message.tool("call_1", "{\"result\":\"" + json(secret) + "\",\"ok\":true}"),
                            Message.assistant(words(random, 60))),
                    Map.of()));
            planted += 3;
        }
        store.appendAll(batch);
        Path sharegpt = dir.resolve("sharegpt.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int k = 0; k < canaries.size(); k++) {
            ObjectNode record = JSON.createObjectNode();
            record.put("id", "sg-" + k);
            ArrayNode turns = record.putArray("conversations");
            turns.addObject().put("from", "human").put("value", words(random, 12) + " " + canaries.get(k)[1]);
            turns.addObject().put("from", "gpt").put("value", words(random, 60));
            lines.append(JSON.writeValueAsString(record)).append('\n');
            planted++;
        }
        Files.writeString(sharegpt, lines);
        assertTrue(planted >= 300, "planted " + planted);

        JsonNode r = CliRun.ok(
                        "run",
                        "curate",
                        "--input",
                        sharegpt.toString(),
                        "--format",
                        "sharegpt",
                        "--home",
                        home.root().toString(),
                        "--json")
                .json();
        int conversations = batch.size() + canaries.size();
        assertEquals(conversations, r.at("/counts/read").asLong(), r.toString());
        assertEquals(conversations, r.at("/counts/written").asLong(), "every planted conversation is written: " + r);

        DatasetSnapshot curated = DatasetSnapshot.open(Path.of(r.at("/path").asText()));
        List<Conversation> rows = new ArrayList<>();
        try (var it = curated.read()) {
            it.forEachRemaining(rows::add);
        }
        ReplayBuffer replay = new ReplayBuffer(Database.open("jdbc:sqlite:" + dir.resolve("replay.db")), 1000, 1);
        replay.offer(rows, "run-canary");
        HistoryIndex.replace(home.dedupeHistoryDir(), "run-canary", rows.iterator());
        HistoryIndex.replace(
                home.dedupeHistoryDir(), "replay", replay.contents().iterator());

        Path extracted = home.datasetsDir().resolve("extracted");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) { // the home, and the replay buffer beside it
            all.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(extracted))
                    .filter(p -> !p.getFileName().toString().startsWith("store.db"))
                    .filter(p -> !p.equals(sharegpt))
                    .forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".arrow")), "Arrow parts are checked: " + files);
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().startsWith("replay.db")), files.toString());
        assertTrue(files.stream().anyMatch(p -> p.startsWith(home.dedupeHistoryDir())), files.toString());
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (String[] canary : canaries) {
                if (indexOf(bytes, canary[2].getBytes(StandardCharsets.UTF_8)) >= 0) {
                    found.add(canary[0] + " (" + canary[2] + ") in " + dir.relativize(file));
                }
            }
        }
        assertEquals(List.of(), found, found.size() + " canaries found in " + files.size() + " files");
        // the check can fail: the store's raw copy in the extracted snapshot does hold them
        try (Stream<Path> raw = Files.walk(extracted)) {
            assertTrue(raw.filter(p -> p.toString().endsWith(".arrow")).anyMatch(p -> {
                try {
                    return indexOf(Files.readAllBytes(p), canaries.get(0)[2].getBytes(StandardCharsets.UTF_8)) >= 0;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String json(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    /** Distinct filler text: random letter words, so no two conversations are near-duplicates. */
    static String words(Random random, int n) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < n; w++) {
            int len = 3 + random.nextInt(6);
            sb.append(w == 0 ? "" : " ");
            for (int c = 0; c < len; c++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        return sb.append('.').toString();
    }

    static List<String[]> rows(String resource, int fields) throws Exception {
        Path file = CORPUS.resolve(resource);
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            assertEquals(fields, f.length, resource + ": " + line);
            for (int k = 0; k < f.length; k++) {
                f[k] = f[k].replace("\\n", "\n");
            }
            out.add(f);
        }
        return out;
    }
}
