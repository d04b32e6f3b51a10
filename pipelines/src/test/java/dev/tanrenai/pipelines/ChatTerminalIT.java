package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoredFeedback;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline chat} in a real pseudo-terminal (tmux), on a generated tiny model with an 8192-token
 * context and greedy sampling (which runs on to the token limit: a long generation): the reply streams,
 * Ctrl-C stops a generation and returns to the prompt, /save writes a JSONL that {@code pipeline import}
 * accepts, /feedback reaches the store, Up recalls history, Ctrl-D quits. Skipped without tmux.
 */
class ChatTerminalIT {

    @TempDir
    Path dir;

    static final Duration START = Duration.ofSeconds(90);
    static final Duration TURN = Duration.ofSeconds(120);
    static final Pattern CONVERSATION = Pattern.compile("feedback up recorded for (chat-cli-[0-9a-f]+) message 1");

    Path home;

    @BeforeEach
    void model() {
        Assumptions.assumeTrue(
                Tmux.available(),
                "tmux is not installed: the terminal test of pipeline chat needs it (apt-get install -y tmux)");
        home = dir.resolve("home");
        Path gguf = dir.resolve("tiny-chat.gguf");
        CliRun.ok("models", "make-tiny", gguf.toString(), "--context", "8192");
        CliRun.ok("models", "add", gguf.toString(), "--alias", "champion", "--home", home.toString());
    }

    /**
     * The java command running {@code pipeline chat ARGS} with this test's classpath, given in a java
     * argument file: with the runners' jars the classpath is longer than a tmux command may be.
     */
    private String chatCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path classpath = dir.resolve("classpath.args");
        try {
            Files.writeString(classpath, "-cp\n\"" + System.getProperty("java.class.path") + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the java argument file " + classpath, e);
        }
        StringBuilder cmd = new StringBuilder("cd " + quote(dir.toString()) + " && TANRENAI_API_KEY=secret-key "
                + quote(java) + " --add-opens=java.base/java.nio=ALL-UNNAMED -Djava.io.tmpdir=" + quote(dir.toString())
                + " -Dorg.slf4j.simpleLogger.defaultLogLevel=warn " + quote("@" + classpath)
                + " dev.tanrenai.pipelines.PipelineCli chat");
        for (String a : args) {
            cmd.append(' ').append(quote(a));
        }
        return cmd.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static int count(String screen, String needle) {
        int n = 0;
        for (int i = screen.indexOf(needle); i >= 0; i = screen.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void streamsStopsSavesRatesAndRecallsInAPseudoTerminal() throws Exception {
        try (Tmux t = new Tmux(
                chatCommand("--home", home.toString(), "--max-tokens", "6000", "--temperature", "0", "--seed", "7"))) {
            t.await("the prompt", START, s -> s.contains(">>>"));

            // a long generation streams: text appears while it is still going; Ctrl-C stops it
            t.type("tell me a story");
            t.keys("Enter");
            String streaming = t.await("streamed text", TURN, s -> {
                int at = s.indexOf("tell me a story");
                return at >= 0
                        && s.substring(at + "tell me a story".length()).strip().length() > 40;
            });
            assertFalse(streaming.contains("[the reply reached"), "the reply is still being generated");
            t.keys("C-c");
            String stopped = t.await(
                    "the stop and a new prompt",
                    Duration.ofSeconds(20),
                    s -> s.contains("[stopped: this reply is not kept]")
                            && s.substring(s.indexOf("[stopped")).contains(">>>"));
            assertFalse(stopped.contains("[the reply reached"), stopped);
            assertFalse(stopped.contains("[process exited]"), "Ctrl-C during a reply must not end the chat");

            // a whole turn over two lines (trailing backslash), then feedback and save
            t.type("hello \\");
            t.keys("Enter");
            t.await("the continuation prompt", Duration.ofSeconds(10), s -> s.contains("..."));
            t.type("again");
            t.keys("Enter");
            t.await(
                    "the whole reply and the prompt",
                    TURN,
                    s -> s.contains("... again")
                            && s.substring(s.indexOf("... again")).strip().endsWith(">>>"));
            t.type("/feedback up");
            t.keys("Enter");
            String rated = t.await("the feedback", Duration.ofSeconds(20), s -> CONVERSATION
                    .matcher(s)
                    .find());
            Matcher m = CONVERSATION.matcher(rated);
            assertTrue(m.find());
            String conversationId = m.group(1);
            Path saved = dir.resolve("saved.jsonl");
            t.type("/save " + saved);
            t.keys("Enter");
            t.await(
                    "the save and the prompt",
                    Duration.ofSeconds(20),
                    s -> s.contains("saved 2 messages to")
                            && s.substring(s.indexOf("saved 2 messages to"))
                                    .strip()
                                    .endsWith(">>>"));

            // Up recalls the last input; Ctrl-C at the prompt clears it
            t.keys("Up");
            t.await("the recalled line", Duration.ofSeconds(10), s -> s.strip().endsWith(">>> /save " + saved));
            t.keys("C-c");
            t.await("the cleared line", Duration.ofSeconds(10), s -> s.strip().endsWith(">>>"));
            t.type("/stats");
            t.keys("Enter");
            String stats = t.await("the stats", Duration.ofSeconds(10), s -> s.contains("turns:        1, 2 messages"));
            assertEquals(0, count(stats, "/save " + saved + "/stats"), "no recalled text left before /stats");
            t.keys("C-d");
            t.await("the end", Duration.ofSeconds(30), s -> s.contains("[process exited] 0"));

            {
                ConversationStore store = new ConversationStore(Database.open(new TanrenaiHome(home).defaultJdbcUrl()));
                Conversation stored = store.get(conversationId).orElseThrow();
                assertEquals("serve", stored.source());
                assertEquals(
                        List.of(Role.USER, Role.ASSISTANT),
                        stored.messages().stream().map(x -> x.role()).toList());
                assertEquals("hello \nagain", stored.messages().get(0).content());
                assertTrue(
                        List.of("stop", "length").contains(stored.metadata().get("turn.1.finish_reason")),
                        stored.metadata().toString());
                assertEquals(1, store.stats().conversations(), "the stopped reply is not stored");
                List<StoredFeedback> feedback = store.feedbackSince(0, 10);
                assertEquals(1, feedback.size());
                assertEquals(conversationId, feedback.get(0).feedback().conversationId());
                assertEquals(1, feedback.get(0).feedback().messageIndex());
                assertEquals(1.0, feedback.get(0).feedback().score());
            }
            String history = Files.readString(home.resolve("chat_history"), StandardCharsets.UTF_8);
            assertTrue(history.contains("tell me a story") && history.contains("/feedback up"), history);

            JsonNode line =
                    new ObjectMapper().readTree(Files.readAllLines(saved).get(0));
            assertEquals(2, line.get("messages").size());
            JsonNode imported = CliRun.ok(
                            "import",
                            saved.toString(),
                            "--format",
                            "openai",
                            "--home",
                            dir.resolve("other").toString(),
                            "--json")
                    .json();
            assertEquals(1, imported.get("imported").asInt(), imported.toString());
            assertEquals(0, imported.get("rejected").asInt(), imported.toString());
        }
    }

    @Test
    void talksToARunningEndpointWithAnApiKey() throws Exception {
        TanrenaiHome h = new TanrenaiHome(home);
        Database db = Database.open(h.defaultJdbcUrl());
        try (ServeServer server = ServeServer.start(
                        ServeConfig.defaults().withPort(0).withKeys(Set.of("secret-key"), null),
                        new ModelRegistry(db, h),
                        new ConversationStore(db),
                        h.nativeDir(),
                        0);
                Tmux t = new Tmux(chatCommand(
                        "--url",
                        "http://127.0.0.1:" + server.port() + "/v1",
                        "--max-tokens",
                        "12",
                        "--temperature",
                        "0",
                        "--home",
                        dir.resolve("client").toString()))) {
            t.await("the prompt", START, s -> s.contains(">>>"));
            t.type("hello endpoint");
            t.keys("Enter");
            t.await("the reply limit", TURN, s -> s.contains("[the reply reached the 12-token limit]"));
            t.type("/feedback down");
            t.keys("Enter");
            String rated = t.await("the feedback", Duration.ofSeconds(20), s -> s.contains("feedback down recorded"));
            assertFalse(rated.contains("error:"), rated);
            ConversationStore store = new ConversationStore(db);
            List<StoredFeedback> feedback = store.feedbackSince(0, 10);
            assertEquals(1, feedback.size());
            Conversation stored =
                    store.get(feedback.get(0).feedback().conversationId()).orElseThrow();
            assertEquals("hello endpoint", stored.messages().get(0).content());
            assertEquals(-1.0, feedback.get(0).feedback().score());
        }
    }
}
