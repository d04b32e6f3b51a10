package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback reaches curation: a thumbs-down given through the real {@code /v1/feedback} endpoint
 * (a server on a tiny generated model) lowers the judged conversation's score in the curated
 * snapshot below an otherwise equal one's, and makes dedupe keep the other copy of a duplicate.
 */
class CliFeedbackIT {

    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    static final String KEY = "client-key";

    @TempDir
    Path dir;

    @Test
    void aThumbsDownThroughTheEndpointLowersTheCuratedScoreAndLosesTheDuplicateTie() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        ConversationStore store = new ConversationStore(db);
        ModelRegistry registry = new ModelRegistry(db, home);
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        registry.moveAlias(
                "champion", registry.addBaseModel(model, "tiny", false).id(), "test", "test");

        // two answers the heuristic cannot tell apart (long, no refusal, no repetition, clean text)
        store.append(chat(
                "judged",
                "Why does my plane chatter?",
                "Chatter usually means the iron is not bedded flat on the frog, the cap iron sits too far from the"
                        + " edge, or the shaving is too thick for the wood; flatten the frog, set the cap iron close"
                        + " and take lighter cuts."));
        store.append(chat(
                "control",
                "Which glue suits outdoor oak?",
                "Oak is full of tannin and moves a lot outdoors, so pick a waterproof glue such as a polyurethane or"
                        + " a type one cross-linking PVA, clamp the joint firmly, and let it cure a full day before"
                        + " any load."));
        // an exact duplicate pair: without feedback the smaller id ("dup-a") is kept
        String q = "How do I set the teeth of a rip saw?";
        String a = "Bend alternate teeth outward by about a third of the plate thickness with a saw set, then joint"
                + " the tops level with a flat file and sharpen each tooth straight across.";
        store.append(chat("dup-a", q, a));
        store.append(chat("dup-b", q, a));

        ServeConfig config = ServeConfig.defaults().withPort(0).withKeys(Set.of(KEY), "admin-key");
        try (ServeServer server = ServeServer.start(config, registry, store, home.nativeDir(), 0)) {
            for (String id : new String[] {"judged", "dup-a"}) {
                HttpResponse<String> r = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/feedback"))
                                        .header("Authorization", "Bearer " + KEY)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"conversation_id\":\"" + id + "\",\"rating\":\"down\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
        }
        assertEquals(2, store.feedbackSince(0, 10).size());

        JsonNode r = CliRun.ok("run", "curate", "--home", home.root().toString(), "--json")
                .json();
        assertEquals(1, r.at("/counts/duplicates.exact").asLong(), r.toString());
        DatasetSnapshot curated = DatasetSnapshot.open(Path.of(r.at("/path").asText()));
        Map<String, Double> scores = new HashMap<>();
        Map<String, String> features = new HashMap<>();
        try (var rows = curated.readRows()) {
            while (rows.hasNext()) {
                ConversationRow row = rows.next();
                scores.put(row.conversation().id(), ((Number) row.extras().get("quality_score")).doubleValue());
                features.put(
                        row.conversation().id(), String.valueOf(row.extras().get("quality_features")));
            }
        }
        assertTrue(scores.containsKey("dup-b") && !scores.containsKey("dup-a"), "dedupe keeps dup-b: " + scores);
        assertTrue(
                scores.get("judged") < scores.get("control") - 0.2,
                "the thumbs-down lowers the judged conversation's score: " + scores);
        JsonNode judged = new ObjectMapper().readTree(features.get("judged"));
        assertTrue(judged.path("feedback").asDouble() < 0, "feedback is among its top features: " + judged);
        assertFalse(
                new ObjectMapper().readTree(features.get("control")).has("feedback"),
                "no feedback, no feedback feature: " + features.get("control"));
    }

    static Conversation chat(String id, String question, String answer) {
        return new Conversation(
                id, "serve", T, T, List.of(Message.user(question), Message.assistant(answer)), Map.of());
    }
}
