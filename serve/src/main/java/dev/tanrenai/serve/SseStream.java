package dev.tanrenai.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/**
 * A streamed chat completion as Server-Sent Events in OpenAI's chunk format: a first chunk with the
 * role, one chunk per generated piece, a last chunk with the finish reason (and tool calls), an
 * optional usage chunk, then {@code data: [DONE]}. Errors before the first byte get the normal JSON
 * error response; errors after it are sent as an {@code error} event before {@code [DONE]}.
 */
final class SseStream {

    private final Context ctx;
    private final boolean chat;
    private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    private final long created = System.currentTimeMillis() / 1000;
    private OutputStream out;
    private final String[] model = {"tanrenai"};

    SseStream(Context ctx, boolean chat) {
        this.ctx = ctx;
        this.chat = chat;
    }

    void run(ChatService service, ChatRequest request, ChatService.Caller caller) throws IOException {
        if (!chat) {
            throw OpenAiException.badRequest("stream", "streaming is supported on /v1/chat/completions only");
        }
        ChatService.Reply reply;
        try {
            reply = service.serve(request, caller, id -> model[0] = id, piece -> {
                if (piece.isEmpty()) {
                    return;
                }
                send(Responses.chunk(id, created, model[0], null, piece, null, null)
                        .toString());
            });
        } catch (OpenAiException e) {
            if (out == null) {
                throw e;
            }
            send(e.body());
            ServeServer.write(out, "[DONE]");
            return;
        }
        model[0] = reply.model();
        send(Responses.chunk(id, created, reply.model(), null, null, reply.toolCalls(), reply.finishReason())
                .toString());
        if (request.includeUsage()) {
            send(Responses.usageChunk(reply, id).toString());
        }
        ServeServer.write(out, "[DONE]");
    }

    private void send(String data) {
        try {
            if (out == null) {
                ctx.status(200);
                ctx.res().setContentType("text/event-stream; charset=utf-8");
                ctx.res().setHeader("Cache-Control", "no-cache");
                ctx.res().setHeader("X-Accel-Buffering", "no");
                out = ctx.res().getOutputStream();
                ServeServer.write(
                        out,
                        Responses.chunk(id, created, model[0], "assistant", null, null, null)
                                .toString());
            }
            ServeServer.write(out, data);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
