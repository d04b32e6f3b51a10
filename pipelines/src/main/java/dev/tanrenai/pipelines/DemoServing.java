package dev.tanrenai.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo's serve step: the endpoint on a free loopback port, one chat request, the logged conversation. */
final class DemoServing {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoServing() {}

    static Map<String, Object> serveOnce(TanrenaiConfig config, String question, Output out) throws IOException {
        // all traffic on the champion here, so the served conversation is the same every run (idempotent demo)
        ServeConfig serveConfig = ServeConfig.defaults().withPort(0).withChallengerShare(0.0);
        try (ServeServer server = ServeServer.start(
                serveConfig,
                Stores.registry(config),
                Stores.conversations(config),
                config.home().nativeDir(),
                0)) {
            String url = "http://127.0.0.1:" + server.port() + "/v1/chat/completions";
            String body = JSON.createObjectNode()
                    .put("model", "tanrenai")
                    .put("temperature", 0)
                    .put("max_tokens", 32)
                    .put("user", "demo-user")
                    .set(
                            "messages",
                            JSON.createArrayNode()
                                    .add(JSON.createObjectNode()
                                            .put("role", "user")
                                            .put("content", question)))
                    .toString();
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode reply = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IOException("the endpoint answered " + response.statusCode() + ": " + response.body());
            }
            String conversationId =
                    response.headers().firstValue("X-Conversation-Id").orElse("?");
            String arm = response.headers().firstValue("X-Tanrenai-Arm").orElse("?");
            out.line("  POST " + url);
            out.line("  " + arm + " (" + reply.get("model").asText() + "): "
                    + reply.at("/choices/0/message/content").asText().strip());
            out.line("  usage " + reply.get("usage") + "; logged as conversation " + conversationId
                    + " (source 'serve', for tonight's training)");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("arm", arm);
            result.put("conversationId", conversationId);
            result.put("response", reply);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the endpoint", e);
        }
    }
}
