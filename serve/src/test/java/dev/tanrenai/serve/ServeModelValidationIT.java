package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.gguf.GgufRewrite;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.registry.ModelRegistry;
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

/**
 * Models that made llama.cpp abort the JVM (issue 11) reach the server only through a registry filled
 * before validation existed: the alias watch refuses them and the current model keeps serving, and a
 * start with such a champion answers 503 naming it instead of dying (and dying again on restart).
 */
class ServeModelValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    private static ServeConfig config() {
        return ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin").withChallengerShare(0.5);
    }

    private HttpResponse<String> chat(String url, String user) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi "
                                + user + "\"}],\"temperature\":0,\"max_tokens\":4,\"user\":\"" + user + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> health(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAliasWatchRefusesABadChampionAndABadAdapterAndTheCurrentOnesKeepServing() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            Path good = dir.resolve("tiny.gguf");
            Path bad = dir.resolve("zero-blocks.gguf");
            GgufRewrite.of(good).set("llama.block_count", GgufValue.uint32(0)).write(bad);
            String badId = PreValidationRegistry.base(fx.db, "m-zeroblocks00", bad);
            PreValidationRegistry.alias(fx.db, "champion", badId);

            Path adapter = dir.resolve("adapter.gguf");
            Path nanAdapter = dir.resolve("nan-alpha.gguf");
            GgufRewrite.of(adapter)
                    .set("adapter.lora.alpha", GgufValue.float32(Float.NaN))
                    .write(nanAdapter);
            String badAdapterId = PreValidationRegistry.adapter(fx.db, "a-nanalpha000", fx.baseId, nanAdapter);
            PreValidationRegistry.alias(fx.db, "challenger", badAdapterId);

            fx.server.syncAliases();
            assertEquals(fx.baseId, fx.server.state().slots().get(Arm.CHAMPION).modelId(), "champion kept");
            assertEquals(
                    fx.adapterId, fx.server.state().slots().get(Arm.CHALLENGER).modelId(), "challenger kept");
            String events = fx.server.state().events().toString();
            assertTrue(
                    fx.server.state().events().stream()
                            .anyMatch(e -> e.kind().equals("refused")
                                    && e.reason().contains(badId)
                                    && e.reason().contains("llama.block_count = 0")
                                    && e.reason().contains(fx.baseId + " keeps serving")),
                    events);
            assertTrue(
                    fx.server.state().events().stream()
                            .anyMatch(e -> e.kind().equals("refused")
                                    && e.reason().contains(badAdapterId)
                                    && e.reason().contains("adapter.lora.alpha = NaN")),
                    events);
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = chat(fx.url(), "user" + i);
                assertEquals(200, r.statusCode(), r.body());
            }
            assertEquals(200, health(fx.url()).statusCode());
        }
    }

    @Test
    void aServerStartedWithABadChampionAnswers503NamingItAndPicksUpAGoodOne() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        ModelRegistry registry = new ModelRegistry(db, home);
        Path good = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), good);
        Path bad = dir.resolve("nan-eps.gguf");
        GgufRewrite.of(good)
                .set("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(Float.NaN))
                .write(bad);
        String badId = PreValidationRegistry.base(db, "m-naneps000000", bad);
        PreValidationRegistry.alias(db, "champion", badId);

        try (ServeServer server =
                ServeServer.start(config(), registry, new ConversationStore(db), home.nativeDir(), 0)) {
            String url = "http://127.0.0.1:" + server.port();
            HttpResponse<String> r = chat(url, "alice");
            assertEquals(503, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertEquals("model_refused", error.get("code").asText(), r.body());
            String message = error.get("message").asText();
            assertTrue(message.contains(badId), message);
            assertTrue(message.contains("llama.attention.layer_norm_rms_epsilon = NaN"), message);
            HttpResponse<String> h = health(url);
            assertEquals(503, h.statusCode(), h.body());
            assertTrue(h.body().contains(badId), h.body());

            String goodId = registry.addBaseModel(good, "good", false).id();
            registry.moveAlias("champion", goodId, "a servable model", "test");
            server.syncAliases();
            HttpResponse<String> served = chat(url, "alice");
            assertEquals(200, served.statusCode(), served.body());
            assertTrue(served.body().contains(goodId), served.body());
            assertEquals(200, health(url).statusCode());
        }
    }

    @Test
    void aChallengerWhoseFileWentBadIsNotPromoted() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            Path registered = fx.registry.resolve(fx.adapterId).adapter().path();
            Path bad = dir.resolve("went-bad.gguf");
            GgufRewrite.of(registered)
                    .set("adapter.lora.alpha", GgufValue.float32(Float.POSITIVE_INFINITY))
                    .write(bad);
            java.nio.file.Files.move(bad, registered, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(fx.url() + "/admin/promote"))
                            .header("X-Admin-Key", "admin")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(409, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertEquals("model_refused", error.get("code").asText(), r.body());
            assertTrue(error.get("message").asText().contains("adapter.lora.alpha = Infinity"), r.body());
            assertEquals(fx.baseId, fx.registry.alias("champion").orElseThrow().id(), "the alias did not move");
            assertEquals(fx.baseId, fx.server.state().slots().get(Arm.CHAMPION).modelId());
            assertEquals(200, chat(fx.url(), "after").statusCode());
        }
    }
}
