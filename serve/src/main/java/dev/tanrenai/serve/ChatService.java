package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.models.runtime.CancellationToken;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.FinishReason;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.TokenListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Serves one request: picks the arm (sticky by user or conversation, or pinned by an admin),
 * renders the chat with the model's template, generates within the limits, parses tool calls,
 * counts tokens, logs the conversation and records metrics and the challenger's health.
 */
public final class ChatService {

    /**
     * Who is asking.
     *
     * @param conversationIdHeader the client's conversation id, or null
     * @param userHeader a user id from a header, or null
     * @param pinned an arm an admin pinned, or null
     */
    public record Caller(String conversationIdHeader, String userHeader, Arm pinned) {}

    /** A finished generation, ready for either response shape. */
    public record Reply(
            String id,
            long created,
            String model,
            Arm arm,
            String text,
            List<ToolCall> toolCalls,
            String finishReason,
            int promptTokens,
            int completionTokens,
            String conversationId) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The source of conversations answered in shadow mode. */
    public static final String SHADOW_SOURCE = "serve-shadow";

    private final java.util.concurrent.ExecutorService shadows = new java.util.concurrent.ThreadPoolExecutor(
            1, 1, 0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(4), r -> {
                Thread t = new Thread(r, "shadow");
                t.setDaemon(true);
                return t;
            });

    private final ServeState state;
    private final ConversationLog log;

    public ChatService(ServeState state, ConversationLog log) {
        this.state = state;
        this.log = log;
    }

    /**
     * @param pieces receives the text as it is generated (not called when tools may turn the reply
     *     into a tool call: that is only known at the end)
     */
    public Reply serve(ChatRequest request, Caller caller, TokenListener pieces) {
        return serve(request, caller, modelId -> {}, pieces);
    }

    /** As {@link #serve(ChatRequest, Caller, TokenListener)}, told the served model's id once it is chosen. */
    public Reply serve(
            ChatRequest request, Caller caller, java.util.function.Consumer<String> admitted, TokenListener pieces) {
        return serve(request, caller, admitted, pieces, new CancellationToken());
    }

    /**
     * As {@link #serve(ChatRequest, Caller, java.util.function.Consumer, TokenListener)}; {@code clientGone}
     * is cancelled when the client closes its connection, which stops the generation within one token
     * and ends the request with a {@link ClientGoneException} (the client's doing, not the arm's).
     */
    public Reply serve(
            ChatRequest request,
            Caller caller,
            java.util.function.Consumer<String> admitted,
            TokenListener pieces,
            CancellationToken clientGone) {
        boolean chat = request.prompt() == null;
        String conversationId = chat
                ? ConversationLog.conversationId(caller.conversationIdHeader(), request.user(), request.messages())
                : null;
        String key = request.user() != null
                ? "user:" + request.user()
                : caller.userHeader() != null ? "user:" + caller.userHeader() : "conversation:" + conversationId;
        Arm arm = caller.pinned() != null
                ? caller.pinned()
                : StickyRouter.route(key == null ? UUID.randomUUID().toString() : key, state.challengerShare());
        ModelSlot slot = state.slots().admit(arm);
        admitted.accept(slot.modelId());
        if (request.user() == null && caller.userHeader() != null) {
            // logged as the turn's user, so A/B outcomes count a header-identified user as one user
            request = request.withUser(caller.userHeader());
        }
        Reply reply = generate(slot, request, conversationId, ConversationLog.SOURCE, pieces, clientGone);
        if (chat && caller.pinned() == null && slot.arm() == Arm.CHAMPION && state.shadow()) {
            shadow(request, conversationId);
        }
        return reply;
    }

    /**
     * Shadow mode: the challenger answers a copy of a champion request in the background; the user
     * never sees it, the store keeps it (source {@code serve-shadow}) for comparison. Skipped, never
     * queued up, when the challenger is busy.
     */
    private void shadow(ChatRequest request, String conversationId) {
        ModelSlot challenger = state.slots().get(Arm.CHALLENGER);
        if (challenger == null) {
            return;
        }
        try {
            if (!challenger.tryAdmit()) {
                return;
            }
        } catch (OpenAiException queueFull) {
            state.metrics().shadowSkipped();
            return;
        }
        try {
            shadows.execute(() -> {
                try {
                    generate(
                            challenger,
                            request,
                            conversationId + "-shadow",
                            SHADOW_SOURCE,
                            TokenListener.none(),
                            new CancellationToken());
                } catch (RuntimeException e) {
                    state.event("shadow-error", "the challenger failed a shadow request: " + e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            challenger.release();
            state.metrics().shadowSkipped();
        }
    }

    /** Generates on an admitted slot (released here), logs the turn under {@code logId}. */
    private Reply generate(
            ModelSlot slot,
            ChatRequest request,
            String logId,
            String source,
            TokenListener pieces,
            CancellationToken clientGone) {
        boolean chat = request.prompt() == null;
        String conversationId = logId;
        long started = System.nanoTime();
        boolean failed = true;
        boolean clientsFault = false;
        try {
            String prompt = chat
                    ? slot.runtime().applyChatTemplate(request.messages(), request.tools(), true)
                    : request.prompt();
            int promptTokens = slot.runtime().tokenize(prompt).length + 1; // + BOS
            if (promptTokens > state.config().maxPromptTokens()) {
                throw new OpenAiException(
                        400,
                        "invalid_request_error",
                        "context_length_exceeded",
                        "messages",
                        "the prompt has " + promptTokens + " tokens; this server accepts at most "
                                + state.config().maxPromptTokens());
            }
            GenerationRequest generation = new GenerationRequest(
                    prompt,
                    request.maxTokens(),
                    request.temperature(),
                    request.topP(),
                    request.seed(),
                    request.stop(),
                    state.config().timeout());
            boolean mayCallTools = request.tools() != null && !request.tools().isEmpty();
            Completion completion =
                    slot.runtime().stream(generation, mayCallTools ? TokenListener.none() : pieces, clientGone);
            if (completion.finishReason() == FinishReason.CANCELLED && clientGone.isCancelled()) {
                throw new ClientGoneException("closed its connection after " + completion.tokenCount()
                        + " generated tokens; generation stopped");
            }
            if (completion.finishReason() == FinishReason.TIMEOUT) {
                throw new OpenAiException(
                        503,
                        "server_error",
                        "timeout",
                        null,
                        "the generation took longer than "
                                + state.config().timeout().toSeconds() + " s and was stopped");
            }
            String text = completion.text();
            List<ToolCall> toolCalls = mayCallTools ? toolCalls(text) : List.of();
            if (!toolCalls.isEmpty()) {
                text = "";
            } else if (mayCallTools) {
                pieces.onToken(text);
            }
            // generated tokens as the runtime counts them (tokens, not streamed pieces; see Completion#tokenCount)
            int completionTokens = completion.finishReason() == FinishReason.LENGTH
                    ? request.maxTokens()
                    : Math.min(request.maxTokens(), completion.tokenCount());
            String finish = !toolCalls.isEmpty()
                    ? "tool_calls"
                    : completion.finishReason() == FinishReason.LENGTH ? "length" : "stop";
            double seconds = (System.nanoTime() - started) / 1e9;
            failed = false;
            state.metrics()
                    .generation(
                            slot.arm(),
                            seconds,
                            Math.min(seconds, completion.elapsed().toNanos() / 1e9),
                            completionTokens);
            state.observe(slot.arm(), false, seconds);
            String storedId = null;
            if (chat) {
                Message reply =
                        new Message(Role.ASSISTANT, text, toolCalls, null, null, null).withProducedBy(slot.modelId());
                Map<String, String> turn = new LinkedHashMap<>();
                turn.put("arm", slot.arm().wireName());
                turn.put("model", slot.modelId());
                turn.put("base_model", slot.baseModelId());
                if (slot.adapterId() != null) {
                    turn.put("adapter", slot.adapterId());
                }
                turn.put("temperature", Float.toString(request.temperature()));
                turn.put("top_p", Float.toString(request.topP()));
                turn.put("seed", Long.toString(request.seed()));
                turn.put("max_tokens", Integer.toString(request.maxTokens()));
                turn.put("latency_ms", Long.toString(Math.round(seconds * 1000)));
                turn.put("at", java.time.Instant.now().toString()); // A/B experiments count turns from their start
                turn.put("prompt_tokens", Integer.toString(promptTokens));
                turn.put("completion_tokens", Integer.toString(completionTokens));
                turn.put("finish_reason", finish);
                if (request.user() != null) {
                    turn.put("user", request.user());
                }
                storedId = log.log(conversationId, source, request.messages(), reply, turn)
                        .conversationId();
            }
            return new Reply(
                    "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""),
                    System.currentTimeMillis() / 1000,
                    slot.modelId(),
                    slot.arm(),
                    text,
                    toolCalls,
                    finish,
                    promptTokens,
                    completionTokens,
                    storedId);
        } catch (OpenAiException e) {
            clientsFault = e.status() < 500; // e.g. an over-long prompt: no fault of the model
            throw e;
        } catch (ClientGoneException e) {
            clientsFault = true;
            throw e;
        } finally {
            // only a server-side failure counts against the arm: a client must not be able to roll the
            // challenger back with its own mistakes
            if (failed && !clientsFault) {
                double seconds = (System.nanoTime() - started) / 1e9;
                state.metrics().failedGeneration(slot.arm());
                state.observe(slot.arm(), true, seconds);
            }
            slot.release();
        }
    }

    /** Tool calls in llama.cpp's generic format ({@code {"tool_calls": [{"name", "arguments", "id"}]}}), if the text is one. */
    static List<ToolCall> toolCalls(String text) {
        String t = text.strip();
        if (!t.startsWith("{")) {
            return List.of();
        }
        JsonNode node;
        try {
            node = JSON.readTree(t);
        } catch (java.io.IOException e) {
            return List.of();
        }
        JsonNode calls = node.path("tool_calls");
        if (!calls.isArray() || calls.isEmpty()) {
            return List.of();
        }
        List<ToolCall> out = new ArrayList<>();
        int n = 0;
        for (JsonNode call : calls) {
            String name = call.path("name").asText("");
            if (name.isEmpty()) {
                return List.of();
            }
            JsonNode args = call.path("arguments");
            String arguments = args.isTextual() ? args.asText() : args.isMissingNode() ? "{}" : args.toString();
            String id = call.path("id").asText("");
            out.add(new ToolCall(id.isEmpty() ? String.format(Locale.ROOT, "call_%d", n) : id, name, arguments));
            n++;
        }
        return out;
    }
}
