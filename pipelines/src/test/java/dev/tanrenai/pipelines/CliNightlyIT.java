package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tanrenai.curate.HistoryIndex;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.lock.RunLock;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.loop.NightlyExitCodes;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §7 on a tiny generated model: taught facts are promoted (champion moved, its reason with the
 * evaluation id in the alias history, the webhook told); a second run with nothing new is skipped; a
 * poisoned batch is refused, the champion stays, its conversations are not marked learned (not in the
 * replay buffer nor the dedupe history) and wait for new data; a concurrent run is refused naming the
 * running one.
 *
 * <p>The tiny random model fails the default KL budget whenever it learns (README, Evaluation proof):
 * the promotion night therefore runs with a policy file that widens the retention budgets
 * ({@code permissive.yaml}); the poisoned night runs with the default policy, which refuses it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliNightlyIT {

    @TempDir
    static Path dir;

    private static String home;
    private static HttpServer server;
    private static final List<JsonNode> hooks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            hooks.add(new ObjectMapper().readTree(body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        home = dir.resolve("home").toString();
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--name", "tiny", "--home", home);
        CliRun.ok("models", "alias", "champion", "tiny", "--reason", "the base to start from", "--home", home);
        Files.writeString(
                dir.resolve("home").resolve("permissive.yaml"),
                "version: 1\nretention:\n  max_kl_mean: 1000\n  max_bits_per_byte_increase: 1000\n");
        config("permissive.yaml");
    }

    @AfterAll
    static void tearDown() {
        server.stop(0);
    }

    static void config(String policy) throws Exception {
        Files.writeString(
                dir.resolve("home").resolve("config.yaml"),
                "nightly:\n  minConversations: 10\n" + (policy == null ? "" : "  policy: " + policy + "\n")
                        + "  generalDocuments: 20\n  webhook: http://127.0.0.1:"
                        + server.getAddress().getPort()
                        + "/hook\n  train:\n    steps: 30\n    learningRate: 0.005\n    maxLength: 128\n"
                        + "  curate:\n    heldout: 0.25\n    dedupeThreshold: 0.99\n");
    }

    static void importChats(String name, String answer, int from, int count) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            lines.add("{\"id\":\"" + name + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"where does the "
                    + "dog number " + i + " sleep\"},{\"role\":\"assistant\",\"content\":\""
                    + answer.replace("#", "" + (i % 5))
                    + "\"}]}");
        }
        Path data = dir.resolve(name + ".jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home);
    }

    private static String champion() {
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home, "--json")
                .json();
        return history.get(history.size() - 1).at("/toId").asText();
    }

    @Test
    @Order(1)
    void taughtFactsArePromotedAndTheChampionMovesWithItsReason() throws Exception {
        importChats("fact", "the dog sleeps in the red basket #", 0, 48);
        CliRun dry = CliRun.ok("run", "nightly", "--dry-run", "--home", home);
        assertTrue(dry.out().contains("dry run"), dry.out());
        // nothing is curated yet: the dry run counts the store's changes extract would read
        assertTrue(dry.out().contains("extract  would read 48 conversation(s) changed in the store"), dry.out());
        JsonNode plan = CliRun.ok("run", "nightly", "--dry-run", "--home", home, "--json")
                .json();
        assertEquals(48, plan.at("/extract/storeChanges").asInt(), plan.toString());
        assertEquals(0, plan.at("/newConversations").asInt(), plan.toString());
        assertEquals("train-if-kept", plan.at("/decision").asText(), plan.toString());
        assertTrue(plan.at("/why").asText().contains("at least 10"), plan.toString());

        CliRun r = CliRun.run("run", "nightly", "--home", home, "--json");
        assertEquals(NightlyExitCodes.OK, r.exitCode(), r.out() + r.err());
        JsonNode run = r.json();
        assertEquals("promoted", run.at("/state").asText(), run.toString());
        assertEquals("manual", run.at("/trigger").asText());
        List<String> states = new ArrayList<>();
        run.at("/stages")
                .forEach(s -> states.add(
                        s.at("/stage").asText() + ":" + s.at("/state").asText()));
        assertEquals(
                List.of(
                        "extract:succeeded",
                        "curate:succeeded",
                        "train:succeeded",
                        "evaluate:succeeded",
                        "promote:succeeded"),
                states);
        String adapter = run.at("/stages/2/output/adapter").asText();
        String evaluation = run.at("/stages/3/output/evaluation").asText();
        assertTrue(adapter.startsWith("a-"), run.toString());

        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home, "--json")
                .json();
        JsonNode last = history.get(history.size() - 1);
        assertEquals(adapter, last.at("/toId").asText(), history.toString());
        assertTrue(last.at("/reason").asText().contains("evaluation " + evaluation), history.toString());

        assertEquals(1, hooks.size(), hooks.toString());
        assertEquals("promoted", hooks.get(0).at("/event").asText());
        assertTrue(hooks.get(0).at("/text").asText().contains(run.at("/id").asText()), hooks.toString());

        Path report = Path.of(run.at("/report").asText());
        String html = Files.readString(report);
        assertTrue(html.contains("evaluation report") && html.contains("promoted"), html);
        assertTrue(Files.readString(Path.of(run.at("/log").asText())).contains("promote"));

        JsonNode shown = CliRun.ok("runs", "show", run.at("/id").asText(), "--home", home, "--json")
                .json();
        assertEquals("promoted", shown.at("/state").asText());
        assertTrue(shown.at("/stages/2/outputHash").asText().length() == 64, shown.toString());
    }

    @Test
    @Order(2)
    void aSecondRunWithNothingNewIsSkipped() {
        JsonNode run = CliRun.ok("run", "nightly", "--home", home, "--json").json();
        assertEquals("skipped", run.at("/state").asText(), run.toString());
        assertTrue(run.at("/reason").asText().contains("no new conversations"), run.toString());
        assertEquals("skipped", run.at("/stages/2/state").asText());
        assertEquals(1, hooks.size(), "a skipped run sends no notification");
        JsonNode list = CliRun.ok("runs", "list", "--home", home, "--json").json();
        assertEquals(2, list.size());
    }

    @Test
    @Order(3)
    void aPoisonedBatchIsRefusedTheChampionStaysAndItsConversationsAreNotLearned() throws Exception {
        config(null);
        String championBefore = champion();
        importChats("junk", "zq xv kkk pfft wub # zzz qqq", 100, 48);
        CliRun r = CliRun.run("run", "nightly", "--home", home, "--json");
        assertEquals(NightlyExitCodes.REFUSED, r.exitCode(), r.out() + r.err());
        JsonNode run = r.json();
        assertEquals("refused", run.at("/state").asText(), run.toString());
        assertEquals(championBefore, champion());
        assertEquals("refused", hooks.get(hooks.size() - 1).at("/event").asText());

        Database db = Database.open("jdbc:sqlite:" + dir.resolve("home").resolve("store.db"));
        List<String> replayIds = ReplayBuffer.existing(db).orElseThrow().contents().stream()
                .map(Conversation::id)
                .toList();
        assertFalse(replayIds.isEmpty(), "the promoted night's conversations are in the replay buffer");
        assertTrue(replayIds.stream().noneMatch(id -> id.contains("junk")), replayIds.toString());
        String trainRun = run.at("/stages/2/output/trainRun").asText();
        assertFalse(
                HistoryIndex.origins(dir.resolve("home").resolve("index").resolve("dedupe-history"))
                        .containsKey(trainRun),
                "the refused run's conversations are not in the dedupe history");

        // the refused batch waits for new data: alone it starts no run
        JsonNode again = CliRun.ok("run", "nightly", "--home", home, "--json").json();
        assertEquals("skipped", again.at("/state").asText(), again.toString());
        assertTrue(again.at("/reason").asText().contains("from refused batches"), again.toString());
        assertNotEquals(trainRun, "");
    }

    @Test
    @Order(4)
    void aConcurrentRunIsRefusedNamingTheRunningOne() {
        int runs = CliRun.ok("runs", "list", "--home", home, "--json").json().size();
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("home").resolve("store.db"));
        try (RunLock held = RunLock.acquire(db, RunLock.PIPELINE, "nightly n-20990101-000000-abcdef")) {
            CliRun r = CliRun.run("run", "nightly", "--home", home);
            assertEquals(NightlyExitCodes.LOCKED, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("nightly n-20990101-000000-abcdef"), r.err());
        }
        assertEquals(
                runs, CliRun.ok("runs", "list", "--home", home, "--json").json().size(), "nothing recorded");
    }

    @Test
    @Order(5)
    void aNightBelowTheMinimumIsASkippedRunWithItsReasonInTheRunsList() throws Exception {
        importChats("few", "the cat sleeps on the blue mat #", 200, 4);
        JsonNode dry = CliRun.ok("run", "nightly", "--dry-run", "--home", home, "--json")
                .json();
        assertEquals(4, dry.at("/extract/storeChanges").asInt(), dry.toString());
        assertEquals("skip", dry.at("/decision").asText(), dry.toString());

        CliRun r = CliRun.run("run", "nightly", "--home", home, "--json");
        assertEquals(NightlyExitCodes.OK, r.exitCode(), r.out() + r.err());
        JsonNode run = r.json();
        assertEquals("skipped", run.at("/state").asText(), run.toString());
        String reason = run.at("/reason").asText();
        assertTrue(reason.contains("fewer than nightly.minConversations = 10"), reason);
        assertEquals("succeeded", run.at("/stages/0/state").asText(), "extract ran: " + run);
        assertEquals("skipped", run.at("/stages/2/state").asText(), run.toString());

        CliRun list = CliRun.ok("runs", "list", "--home", home);
        String line = list.out()
                .lines()
                .filter(l -> l.startsWith(run.at("/id").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(list.out()));
        assertTrue(line.contains("skipped") && line.contains(reason), line);
    }
}
