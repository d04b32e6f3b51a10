package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ollama's API over raw HTTP against a real server on a tiny model: the documented shapes, and the store. */
class OllamaApiIT {

    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(60);

    private static ServeConfig config() {
        return ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin");
    }

    @Test
    void chatStreamsNdjsonInOllamasShapeAndIsLogged() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            RawHttp.Answer a = RawHttp.exchange(
                    fx.server.port(),
                    WAIT,
                    RawHttp.post(
                            "/api/chat",
                            "{\"model\":\"tanrenai:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hello"
                                    + " ollama\"}],\"options\":{\"temperature\":0,\"num_predict\":8,\"seed\":1}}",
                            "X-Conversation-Id: ollama-1",
                            "Connection: close"));
            assertEquals(200, a.status(), a.toString());
            assertTrue(a.head().toLowerCase().contains("content-type: application/x-ndjson"), a.head());
            List<JsonNode> lines = new ArrayList<>();
            for (String line : a.body().split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            assertTrue(lines.size() >= 2, "pieces and a final object: " + a.body());
            StringBuilder text = new StringBuilder();
            for (JsonNode piece : lines.subList(0, lines.size() - 1)) {
                assertEquals("tanrenai", piece.get("model").asText());
                Instant.parse(piece.get("created_at").asText());
                assertEquals("assistant", piece.at("/message/role").asText());
                assertFalse(piece.get("done").asBoolean());
                text.append(piece.at("/message/content").asText());
            }
            JsonNode last = lines.get(lines.size() - 1);
            assertTrue(last.get("done").asBoolean(), last.toString());
            assertEquals("", last.at("/message/content").asText());
            assertEquals("length", last.get("done_reason").asText(), "8 tokens asked, the limit ended it");
            assertEquals(8, last.get("eval_count").asInt());
            assertTrue(last.get("prompt_eval_count").asInt() > 3, last.toString());
            for (String d : List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
                assertTrue(last.get(d).isIntegralNumber(), d + " in " + last);
            }
            assertTrue(last.get("total_duration").asLong()
                    >= last.get("prompt_eval_duration").asLong()
                            + last.get("eval_duration").asLong());

            Conversation stored = fx.store.get("ollama-1").orElseThrow();
            assertEquals(2, stored.messages().size());
            assertEquals(Role.ASSISTANT, stored.messages().get(1).role());
            assertEquals(text.toString(), stored.messages().get(1).content());
            assertEquals("serve", stored.source());
        }
    }

    @Test
    void nonStreamingChatGenerateTagsShowAndErrors() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            int port = fx.server.port();
            RawHttp.Answer chat = RawHttp.exchange(
                    port,
                    WAIT,
                    RawHttp.post(
                            "/api/chat",
                            "{\"model\":\"champion\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":"
                                    + "\"hi\"}],\"options\":{\"temperature\":0,\"num_predict\":5}}",
                            "Connection: close"));
            assertEquals(200, chat.status(), chat.toString());
            JsonNode one = JSON.readTree(chat.body());
            assertTrue(one.get("done").asBoolean());
            assertEquals("assistant", one.at("/message/role").asText());
            assertFalse(one.at("/message/content").asText().isEmpty(), one.toString());
            assertEquals(5, one.get("eval_count").asInt());
            assertEquals("champion", one.get("model").asText());

            RawHttp.Answer gen = RawHttp.exchange(
                    port,
                    WAIT,
                    RawHttp.post(
                            "/api/generate",
                            "{\"model\":\"tanrenai\",\"prompt\":\"once upon\",\"system\":\"be brief\",\"stream\":false,"
                                    + "\"options\":{\"temperature\":0,\"num_predict\":4}}",
                            "Connection: close"));
            assertEquals(200, gen.status(), gen.toString());
            JsonNode g = JSON.readTree(gen.body());
            assertTrue(
                    g.get("response").isTextual() && !g.get("response").asText().isEmpty(), g.toString());
            assertEquals(4, g.get("eval_count").asInt());
            assertTrue(g.get("done").asBoolean());

            RawHttp.Answer streamed = RawHttp.exchange(
                    port,
                    WAIT,
                    RawHttp.post(
                            "/api/generate",
                            "{\"model\":\"tanrenai\",\"prompt\":\"once upon\",\"options\":{\"num_predict\":3}}",
                            "Connection: close"));
            String[] lines = streamed.body().strip().split("\n");
            assertTrue(JSON.readTree(lines[0]).has("response"), streamed.body());
            assertTrue(JSON.readTree(lines[lines.length - 1]).get("done").asBoolean());

            RawHttp.Answer load = RawHttp.exchange(
                    port, WAIT, RawHttp.post("/api/generate", "{\"model\":\"tanrenai\"}", "Connection: close"));
            assertEquals("load", JSON.readTree(load.body()).get("done_reason").asText(), load.toString());

            RawHttp.Answer tags =
                    RawHttp.exchange(port, WAIT, RawHttp.request("GET", "/api/tags", "", "Connection: close"));
            JsonNode models = JSON.readTree(tags.body()).get("models");
            List<String> names = new ArrayList<>();
            models.forEach(m -> names.add(m.get("name").asText()));
            assertTrue(
                    names.containsAll(List.of(
                            "tanrenai:latest",
                            "champion:latest",
                            "challenger:latest",
                            fx.baseId + ":latest",
                            fx.adapterId + ":latest")),
                    names.toString());
            JsonNode champion = models.get(names.indexOf("champion:latest"));
            assertEquals("gguf", champion.at("/details/format").asText());
            assertEquals("llama", champion.at("/details/family").asText());
            assertEquals(64, champion.get("digest").asText().length());
            assertTrue(champion.get("size").asLong() > 0);
            JsonNode challenger = models.get(names.indexOf("challenger:latest"));
            assertEquals(fx.baseId, challenger.at("/details/parent_model").asText());

            RawHttp.Answer show = RawHttp.exchange(
                    port, WAIT, RawHttp.post("/api/show", "{\"model\":\"champion\"}", "Connection: close"));
            JsonNode s = JSON.readTree(show.body());
            assertEquals("llama", s.at("/model_info/general.architecture").asText(), show.toString());
            assertTrue(s.at("/model_info/general.parameter_count").asLong() > 0);
            assertTrue(s.get("template").asText().contains("im_start"), "the tiny model's ChatML template");
            assertEquals("completion", s.get("capabilities").get(0).asText());

            RawHttp.Answer unknown = RawHttp.exchange(
                    port,
                    WAIT,
                    RawHttp.post(
                            "/api/chat",
                            "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                            "Connection: close"));
            assertEquals(404, unknown.status());
            assertTrue(JSON.readTree(unknown.body()).get("error").asText().contains("llama3"), unknown.body());

            RawHttp.Answer images = RawHttp.exchange(
                    port,
                    WAIT,
                    RawHttp.post(
                            "/api/chat",
                            "{\"model\":\"tanrenai\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"images\":"
                                    + "[\"aGk=\"]}]}",
                            "Connection: close"));
            assertEquals(400, images.status());
            assertTrue(JSON.readTree(images.body()).get("error").asText().contains("images"), images.body());

            RawHttp.Answer broken =
                    RawHttp.exchange(port, WAIT, RawHttp.post("/api/chat", "{\"model\":", "Connection: close"));
            assertEquals(400, broken.status());
            assertTrue(JSON.readTree(broken.body()).get("error").asText().contains("not valid JSON"), broken.body());
        }
    }
}
