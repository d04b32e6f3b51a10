package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.models.runtime.CancellationToken;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Function;

/**
 * Ollama's API beside OpenAI's, for the chat clients that speak only Ollama: {@code POST /api/chat}
 * and {@code POST /api/generate} (newline-delimited JSON objects while generating, one object with
 * {@code "stream": false}), {@code GET /api/tags}, {@code POST /api/show}, {@code GET /api/version}.
 * Requests go through the same router, limits and conversation log as {@code /v1/chat/completions}.
 * Durations are nanoseconds, as in Ollama; {@code load_duration} is 0 since models stay loaded.
 */
final class OllamaApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeState state;
    private final ChatService chat;
    private final OllamaModels models;
    private final Function<Context, ChatService.Caller> callers;
    private final Function<Context, JsonNode> bodies;
    private final java.util.function.BiFunction<Context, CancellationToken, ClientWatch.Registration> watch;

    OllamaApi(
            ServeState state,
            ChatService chat,
            OllamaModels models,
            Function<Context, ChatService.Caller> callers,
            Function<Context, JsonNode> bodies,
            java.util.function.BiFunction<Context, CancellationToken, ClientWatch.Registration> watch) {
        this.state = state;
        this.watch = watch;
        this.chat = chat;
        this.models = models;
        this.callers = callers;
        this.bodies = bodies;
    }

    void chat(Context ctx) throws IOException {
        JsonNode body = bodies.apply(ctx);
        ChatRequest request = OllamaRequests.chat(body, state.config());
        run(ctx, request, OllamaRequests.streams(body), true);
    }

    void generate(Context ctx) throws IOException {
        JsonNode body = bodies.apply(ctx);
        ChatRequest request = OllamaRequests.generate(body, state.config());
        boolean stream = OllamaRequests.streams(body);
        if (request == null) { // Ollama: an empty prompt only loads the model
            String model = OllamaRequests.modelName(body);
            Models.requireKnown(state, model);
            ObjectNode loaded = head(model);
            loaded.put("response", "");
            loaded.put("done", true);
            loaded.put("done_reason", "load");
            ServeServer.json(ctx, 200, loaded);
            return;
        }
        run(ctx, request, stream, false);
    }

    void tags(Context ctx) {
        ServeServer.json(ctx, 200, models.tags());
    }

    void show(Context ctx) {
        String model = OllamaRequests.modelName(bodies.apply(ctx));
        Models.requireKnown(state, model);
        ServeServer.json(ctx, 200, models.show(model));
    }

    void version(Context ctx) {
        ObjectNode v = JSON.createObjectNode();
        v.put("version", "0.0.0-tanrenai");
        ServeServer.json(ctx, 200, v);
    }

    private void run(Context ctx, ChatRequest request, boolean stream, boolean chatShape) throws IOException {
        Models.requireKnown(state, request.model());
        String model = request.model().isEmpty() ? Models.DEFAULT : request.model();
        long started = System.nanoTime();
        long[] firstPiece = {0};
        OutputStream[] out = {null};
        ChatService.Reply reply;
        CancellationToken clientGone = new CancellationToken();
        try (ClientWatch.Registration watched = watch.apply(ctx, clientGone)) {
            reply = chat.serve(
                    request,
                    callers.apply(ctx),
                    id -> {},
                    piece -> {
                        if (firstPiece[0] == 0) {
                            firstPiece[0] = System.nanoTime();
                        }
                        if (stream && !piece.isEmpty()) {
                            ObjectNode chunk = head(model);
                            content(chunk, chatShape, piece, null);
                            chunk.put("done", false);
                            out[0] = line(ctx, out[0], chunk);
                        }
                    },
                    clientGone);
        } catch (OpenAiException e) {
            if (out[0] == null) {
                throw e;
            }
            ObjectNode error = JSON.createObjectNode();
            error.put("error", e.getMessage());
            line(ctx, out[0], error);
            return;
        }
        if (!stream && reply.conversationId() != null) {
            ctx.header("X-Conversation-Id", reply.conversationId());
        }
        long ended = System.nanoTime();
        long firstAt = firstPiece[0] == 0 ? ended : firstPiece[0];
        ObjectNode last = head(model);
        content(last, chatShape, stream ? "" : reply.text(), reply.toolCalls());
        last.put("done", true);
        last.put("done_reason", reply.finishReason().equals("length") ? "length" : "stop");
        last.put("total_duration", ended - started);
        last.put("load_duration", 0);
        last.put("prompt_eval_count", reply.promptTokens());
        last.put("prompt_eval_duration", firstAt - started);
        last.put("eval_count", reply.completionTokens());
        last.put("eval_duration", ended - firstAt);
        if (stream) {
            line(ctx, out[0], last);
        } else {
            ServeServer.json(ctx, 200, last);
        }
    }

    private static ObjectNode head(String model) {
        ObjectNode node = JSON.createObjectNode();
        node.put("model", model);
        node.put("created_at", Instant.now().toString());
        return node;
    }

    private static void content(ObjectNode node, boolean chatShape, String text, java.util.List<ToolCall> calls) {
        if (!chatShape) {
            node.put("response", text);
            return;
        }
        ObjectNode message = node.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        if (calls != null && !calls.isEmpty()) {
            ArrayNode out = message.putArray("tool_calls");
            for (ToolCall call : calls) {
                ObjectNode function = out.addObject().putObject("function");
                function.put("name", call.name());
                try {
                    function.set("arguments", JSON.readTree(call.argumentsJson()));
                } catch (IOException e) {
                    function.put("arguments", call.argumentsJson());
                }
            }
        }
    }

    /** Writes one NDJSON line, starting the 200 response on the first. */
    private static OutputStream line(Context ctx, OutputStream out, JsonNode node) {
        try {
            if (out == null) {
                ctx.status(200);
                ctx.res().setContentType("application/x-ndjson");
                ctx.res().setHeader("Cache-Control", "no-cache");
                out = ctx.res().getOutputStream();
            }
            out.write((node.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return out;
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
