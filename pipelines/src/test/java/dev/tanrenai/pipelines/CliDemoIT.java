package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline demo --tiny}, the fast smoke run of the README's main job on a tiny random model,
 * end to end and three times (the default demo on stories260K is {@code CliDemoRealModelIT}).
 */
class CliDemoIT {

    static final Duration CHAT = Duration.ofMinutes(3);

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void demoRunsEndToEndAndIsIdempotent() throws Exception {
        JsonNode first =
                CliRun.ok("demo", "--tiny", "--home", home.toString(), "--json").json();
        assertEquals(31, first.at("/imports/0/created").asLong());
        assertEquals(0, first.at("/imports/0/rejected").asLong());
        assertEquals(6, first.at("/imports/1/created").asLong());
        assertEquals(37, first.at("/store/conversations").asLong());
        assertEquals(37, first.at("/extract/counts/written").asLong(), "every demo conversation is valid");
        assertEquals(37, first.at("/curate/counts/read").asLong());
        long curated = first.at("/snapshot/rowCount").asLong();
        assertTrue(curated > 20 && curated <= 37, "curated: " + first.at("/curate/counts"));
        assertTrue(first.at("/champion/id").asText().startsWith("m-"));
        assertFalse(first.at("/reply/text").asText().isEmpty(), "the champion answered");
        String adapterId = first.at("/training/adapter/id").asText();
        assertEquals("chat.completion", first.at("/served/response/object").asText());
        assertTrue(first.at("/served/response/usage/completion_tokens").asInt() > 0);
        assertTrue(first.at("/served/conversationId").asText().startsWith("chat-"));
        assertTrue(adapterId.startsWith("a-"), "a challenger was trained: " + first.at("/training"));
        assertEquals(adapterId, first.at("/challengerReply/model").asText());
        assertTrue(
                first.at("/training/metrics/finalLoss").asDouble()
                        < first.at("/training/metrics/firstLoss").asDouble(),
                "the loss fell: " + first.at("/training/metrics"));

        String decision = first.at("/evaluation/decision").asText();
        assertTrue(
                decision.equals("promote") || decision.equals("refuse"),
                first.at("/evaluation").toString());
        assertTrue(
                first.at("/evaluation/checks").size() >= 4,
                first.at("/evaluation").toString());

        JsonNode second =
                CliRun.ok("demo", "--tiny", "--home", home.toString(), "--json").json();
        assertEquals(4, second.at("/evaluation/cacheHits").asInt(), "the second demo scores nothing again");
        assertEquals(31, second.at("/imports/0/unchanged").asLong(), "nothing is imported twice");
        assertEquals(38, second.at("/store/conversations").asLong(), "the loop closes: the served conversation");
        assertEquals(1, second.at("/extract/counts/read").asLong(), "is all the next extract reads");
        assertEquals(first.at("/champion/id"), second.at("/champion/id"));
        assertEquals(first.at("/reply/text"), second.at("/reply/text"), "greedy replies repeat");
        assertEquals(first.at("/served/conversationId"), second.at("/served/conversationId"));

        String text = CliRun.ok("demo", "--tiny", "--home", home.toString()).out();
        assertTrue(text.contains("Q: " + DemoCommand.DEMO_QUESTION), text);
        assertTrue(text.contains("gate: "), text);
        assertTrue(text.contains("[7/8] champion and challenger answer"), text);
        assertTrue(text.contains("[6/8] evaluate the challenger against the base model"), text);
        assertTrue(text.contains("[8/8] serve"), text);
        assertTrue(text.contains("[6/8] evaluate") && text.contains("report: "), text);
        assertTrue(text.contains("read 0") && text.contains("nothing new to train on"), text);
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home.toString(), "--json")
                .json();
        boolean promoted = first.at("/promotion/promoted").asBoolean();
        assertEquals(
                promoted, decision.equals("promote"), first.at("/promotion").toString());
        assertEquals(
                promoted ? 2 : 1, history.size(), "the champion alias was set once, and moved once more on promotion");
        // the trained conversations are learned (replay buffer) only if the gate promoted the adapter
        java.util.Optional<ReplayBuffer> replay =
                ReplayBuffer.existing(Database.open("jdbc:sqlite:" + home.resolve("store.db")));
        assertEquals(
                promoted,
                replay.isPresent() && !replay.get().contents().isEmpty(),
                "replay buffer fed exactly when promoted: " + first.at("/promotion"));
        assertEquals(
                promoted ? adapterId : first.at("/champion/id").asText(),
                first.at("/promotion/champion").asText());
        assertEquals(
                1,
                CliRun.ok("models", "history", "challenger", "--home", home.toString(), "--json")
                        .json()
                        .size(),
                "the challenger was trained once: later runs had nothing new to learn");

        // the second of the README's two commands: the chat command the demo printed, as printed
        String chat = first.at("/chatCommand").asText();
        assertTrue(text.contains("Talk to the champion") && text.contains(chat), text);
        assertTrue(chat.startsWith("./pipeline chat --home "), chat);
        List<String> args = List.of(chat.substring("./pipeline ".length()).split(" "));
        assertEquals(home.toString(), args.get(args.indexOf("--home") + 1), chat);
        long before = CliRun.ok("store", "stats", "--home", home.toString(), "--json")
                .json()
                .at("/conversations")
                .asLong();
        List<String> withLimit = new ArrayList<>(args);
        withLimit.addAll(List.of("--max-tokens", "8"));
        CliSubprocess chatted = CliSubprocess.run(work, "hello there\n/exit\n".translateEscapes(), CHAT, withLimit);
        assertEquals(0, chatted.exitCode(), chatted.out() + chatted.err());
        assertTrue(
                chatted.out()
                        .contains("chatting with "
                                + first.at("/promotion/champion").asText()),
                "chat talks to the demo's champion: " + chatted.out());
        assertTrue(chatted.out().contains(">>> "), chatted.out());
        assertEquals(
                before + 1,
                CliRun.ok("store", "stats", "--home", home.toString(), "--json")
                        .json()
                        .at("/conversations")
                        .asLong(),
                "the chat turn reached the demo's store");

        CliRun mixed = CliRun.run("demo", "--home", home.toString());
        assertEquals(1, mixed.exitCode(), mixed.err());
        assertTrue(
                mixed.err().contains("belongs to a demo on tiny-llama")
                        && mixed.err().contains("--tiny"),
                "a tiny demo's home is not silently reused for stories260K: " + mixed.err());
    }
}
