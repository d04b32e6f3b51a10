package dev.tanrenai.pipelines.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A running Tanrenai endpoint ({@code --url}): each turn is a streamed {@code /v1/chat/completions}
 * (Server-Sent Events) carrying the conversation id in {@code X-Conversation-Id}, so the server stores
 * it under that id; feedback goes to {@code /v1/feedback}. A stop closes the stream (the server then
 * sees the client leave and stores nothing).
 */
final class RemoteChat implements ChatBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String model = "";

    /** @param url the endpoint, with or without the trailing {@code /v1} */
    RemoteChat(String url, String apiKey) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith("/v1")) {
            u = u.substring(0, u.length() - 3);
        }
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new IllegalArgumentException(
                    "--url must be an http(s) URL such as http://127.0.0.1:8080, got '" + url + "'");
        }
        this.base = URI.create(u);
        this.apiKey = apiKey;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json");
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    @Override
    public Turn answer(
            String conversationId, List<Message> messages, Settings settings, Pieces pieces, StopSignal stop) {
        ObjectNode body = JSON.createObjectNode();
        if (!model.isEmpty()) {
            body.put("model", model);
        }
        body.set(
                "messages",
                OpenAiChatCodec.write(new Conversation(
                                conversationId, "chat", Instant.EPOCH, Instant.EPOCH, messages, Map.of()))
                        .get("messages"));
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", settings.maxTokens());
        body.put("temperature", settings.temperature());
        body.put("seed", settings.seed());
        long started = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    request("/v1/chat/completions")
                            .header("X-Conversation-Id", conversationId)
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatBackend.Stopped();
        }
        StringBuilder text = new StringBuilder();
        String answeredBy = model;
        String finish = "stop";
        int promptTokens = 0;
        int completionTokens = 0;
        try (InputStream in = response.body();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            stop.whileBlocked(in);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(base + " answered HTTP " + response.statusCode() + ": "
                        + errorMessage(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            String line;
            while ((line = reader.readLine()) != null) {
                stop.check();
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode chunk = JSON.readTree(data);
                if (chunk.has("error")) {
                    throw new IllegalStateException(base + " failed during the reply: " + errorMessage(data));
                }
                answeredBy = chunk.path("model").asText(answeredBy);
                if (chunk.has("usage") && chunk.get("usage").isObject()) {
                    promptTokens = chunk.at("/usage/prompt_tokens").asInt();
                    completionTokens = chunk.at("/usage/completion_tokens").asInt();
                }
                JsonNode choice = chunk.path("choices").path(0);
                String piece = choice.path("delta").path("content").asText("");
                if (!piece.isEmpty()) {
                    text.append(piece);
                    pieces.accept(piece);
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
        } catch (IOException e) {
            stop.check(); // a stop closed the stream under the reader
            throw new UncheckedIOException("the stream from " + base + " broke: " + e.getMessage(), e);
        } finally {
            stop.whileBlocked(null);
        }
        stop.check();
        return new Turn(
                text.toString(),
                answeredBy,
                conversationId,
                messages.size(),
                finish,
                promptTokens,
                completionTokens,
                (System.nanoTime() - started) / 1e9);
    }

    private static String errorMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.isTextual() ? error.asText() : error.path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    @Override
    public void feedback(String conversationId, int messageIndex, double score) {
        ObjectNode body = JSON.createObjectNode();
        body.put("conversation_id", conversationId);
        body.put("message_index", messageIndex);
        body.put("rating", score);
        body.put("comment", "pipeline chat");
        try {
            HttpResponse<String> r = http.send(
                    request("/v1/feedback")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(
                        base + " refused the feedback: HTTP " + r.statusCode() + ": " + errorMessage(r.body()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending feedback", e);
        }
    }

    @Override
    public String describe() {
        return (model.isEmpty() ? "the endpoint's default model" : model) + " at " + base;
    }

    @Override
    public void model(String reference) {
        model = reference;
    }

    @Override
    public void adapter(String reference) {
        model = reference == null ? "champion" : reference; // the server serves what it has loaded
    }

    @Override
    public void close() {}
}
