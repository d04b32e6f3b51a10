package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/models} over the whole registry, and loading, switching and unloading models at run time. */
class ModelAdminIT {

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode send(ServeFixture fx, String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.url() + path))
                .header("X-Admin-Key", "admin")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode entry(JsonNode list, String id) {
        for (JsonNode m : list.get("data")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " not in " + list);
    }

    private String chatModel(ServeFixture fx, String arm) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(fx.url() + "/v1/chat/completions"))
                        .header("X-Tanrenai-Arm", arm)
                        .header("X-Admin-Key", "admin")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("model").asText();
    }

    @Test
    void listsTheRegistryAndLoadsSwitchesAndUnloadsWithoutRestart() throws Exception {
        try (ServeFixture fx = new ServeFixture(
                dir, ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin"), ChallengerGuard.defaults())) {
            Path other = dir.resolve("other.gguf");
            TinyModelMaker.write(TinyModelSpec.qwen2Default(), other);
            String otherId = fx.registry.addBaseModel(other, "other", false).id();

            JsonNode list = send(fx, "GET", "/v1/models", null, 200);
            assertEquals("list", list.get("object").asText());
            JsonNode base = entry(list, fx.baseId);
            assertEquals("base", base.get("kind").asText());
            assertTrue(base.get("loaded").asBoolean());
            assertEquals("champion", base.get("aliases").get(0).asText());
            JsonNode adapter = entry(list, fx.adapterId);
            assertEquals("adapter", adapter.get("kind").asText());
            assertEquals(fx.baseId, adapter.get("base_model").asText());
            assertEquals("challenger", adapter.get("arms").get(0).asText());
            JsonNode idle = entry(list, otherId);
            assertFalse(idle.get("loaded").asBoolean());
            assertEquals(0, idle.get("aliases").size());
            assertEquals("arm", entry(list, "champion").get("kind").asText());

            // unload the challenger: it stays unloaded across alias syncs
            JsonNode unloaded = send(fx, "POST", "/admin/models/unload", "{\"arm\":\"challenger\"}", 200);
            assertEquals(fx.adapterId, unloaded.get("unloaded").asText());
            fx.server.syncAliases();
            assertNull(fx.server.state().slots().get(Arm.CHALLENGER));
            assertFalse(entry(send(fx, "GET", "/v1/models", null, 200), fx.adapterId)
                    .get("loaded")
                    .asBoolean());
            send(fx, "POST", "/admin/models/unload", "{\"arm\":\"champion\"}", 409);

            // load another base model into the challenger, by name
            JsonNode loaded = send(fx, "POST", "/admin/models/load", "{\"model\":\"other\"}", 200);
            assertEquals(otherId, loaded.get("serving").asText());
            assertEquals(fx.adapterId, loaded.get("from").asText());
            assertEquals(otherId, chatModel(fx, "challenger"));
            assertEquals(otherId, fx.registry.alias("challenger").orElseThrow().id());

            // switch the champion to the adapter: served at once, the alias history records it
            JsonNode switched = send(fx, "POST", "/admin/models/switch", "{\"model\":\"" + fx.adapterId + "\"}", 200);
            assertEquals(fx.baseId, switched.get("from").asText());
            assertEquals(fx.adapterId, chatModel(fx, "champion"));
            fx.server.syncAliases();
            assertEquals(
                    fx.adapterId, fx.server.state().slots().get(Arm.CHAMPION).modelId());
            assertEquals(
                    "loaded through /admin/models/switch",
                    fx.registry
                            .history("champion")
                            .get(fx.registry.history("champion").size() - 1)
                            .reason());

            // unknown and missing models change nothing
            JsonNode unknown = send(fx, "POST", "/admin/models/switch", "{\"model\":\"nope\"}", 404);
            assertTrue(unknown.at("/error/message").asText().contains("nope"), unknown.toString());
            send(fx, "POST", "/admin/models/load", "{}", 400);
            assertEquals(fx.adapterId, chatModel(fx, "champion"));
        }
    }
}
