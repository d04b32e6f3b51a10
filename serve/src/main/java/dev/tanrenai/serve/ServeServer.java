package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.CancellationToken;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.BadMessageException;

/**
 * The OpenAI-compatible endpoint: {@code /v1/chat/completions} (JSON or Server-Sent Events),
 * {@code /v1/completions}, {@code /v1/models}, {@code /v1/feedback}, {@code /health},
 * {@code /metrics}, the admin routes (split, promote, rollback, events, models load/switch/unload) and
 * Ollama's API ({@code /api/chat}, {@code /api/generate}, {@code /api/tags}, {@code /api/show}), on
 * Javalin (Jetty). Closing it stops taking requests,
 * lets admitted ones finish, then closes the models.
 */
public final class ServeServer implements AutoCloseable {

    static {
        HttpLogs.quiet(); // before Jetty creates its loggers: at debug they print the request headers' keys
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeState state;
    private final ChatService chat;
    private final Feedbacks feedbacks;
    private final AliasWatcher watcher;
    private final SlotLoader loader;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Javalin app;
    private final JettyLoad load;
    private final OllamaApi ollama;
    private final AbMonitor ab;
    private final ClientWatch clientWatch = new ClientWatch();
    private final Database logDb;
    /** A request attribute: the status the request-count metric records when no response could be written. */
    private static final String RECORDED_STATUS = "tanrenai.recordedStatus";

    private ServeServer(ServeState state, SlotLoader loader, ConversationStore store) {
        this.state = state;
        this.loader = loader;
        // the log writes every request: one held connection instead of two new ones per request (see
        // Database.openPooled)
        this.logDb = Database.openPooled(store.database().jdbcUrl());
        this.chat = new ChatService(state, new ConversationLog(new ConversationStore(logDb)));
        this.feedbacks = new Feedbacks(store);
        this.watcher = new AliasWatcher(loader, state);
        this.ab = new AbMonitor(new dev.tanrenai.experiment.Experiments(store, loader.registry()), state, watcher);
        ServeConfig config = state.config();
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
        });
        this.load = new JettyLoad(app);
        this.ollama = new OllamaApi(
                state, chat, new OllamaModels(state, loader.registry()), this::caller, this::body, this::watch);
        routes();
    }

    /**
     * Loads the registry's champion (and challenger), starts serving and watches the aliases.
     *
     * <p>A champion whose model is refused (e.g. it fails validation) does not stop the start: the
     * server answers 503 naming it and the alias watch keeps looking for a servable one.
     *
     * @throws IllegalStateException when the 'champion' alias points at nothing
     */
    public static ServeServer start(
            ServeConfig config, ModelRegistry registry, ConversationStore store, Path nativeDir, long watchSeconds) {
        return start(config, registry, store, nativeDir, watchSeconds, ChallengerGuard.defaults());
    }

    /** As {@link #start(ServeConfig, ModelRegistry, ConversationStore, Path, long)} with a rollback guard. */
    public static ServeServer start(
            ServeConfig config,
            ModelRegistry registry,
            ConversationStore store,
            Path nativeDir,
            long watchSeconds,
            ChallengerGuard guard) {
        ServeState state = new ServeState(config, new Slots(config.timeout()), guard);
        SlotLoader loader = new SlotLoader(registry, config, nativeDir);
        ServeServer server = new ServeServer(state, loader, store);
        if (!server.watcher.sync() && state.slots().championUnavailable() == null) {
            String why = state.events().isEmpty()
                    ? "the 'champion' alias points at nothing"
                    : state.events().get(state.events().size() - 1).reason();
            state.slots().close();
            throw new IllegalStateException("cannot serve: no champion model (" + why + ")");
        }
        // a refused champion does not stop the server (a restart would refuse it again, in a loop):
        // requests get a 503 naming it until the alias watch loads a servable one
        if (watchSeconds > 0) {
            server.watcher.watch(watchSeconds);
            server.ab.watch(watchSeconds);
        }
        server.app.start(config.host(), config.port());
        server.load.attach();
        return server;
    }

    public int port() {
        return app.port();
    }

    public ServeState state() {
        return state;
    }

    /** The A/B experiment monitor (it evaluates every watch period; tests call {@link AbMonitor#tick()}). */
    public AbMonitor ab() {
        return ab;
    }

    /** Re-reads the registry aliases now (the watcher does it periodically). */
    public void syncAliases() {
        watcher.sync();
    }

    private void routes() {
        app.before(ctx -> {
            if (closing.get()) {
                throw new OpenAiException(503, "server_error", "shutting_down", null, "the server is shutting down");
            }
            long length = ctx.req().getContentLengthLong(); // Javalin's int one is -1 past 2 GiB
            if (length > state.config().maxBodyBytes()) {
                throw new OpenAiException(
                        413,
                        "invalid_request_error",
                        "request_too_large",
                        null,
                        "the request body has " + length + " bytes; the limit is "
                                + state.config().maxBodyBytes());
            }
            if (ctx.path().startsWith("/v1/") || ctx.path().startsWith("/api/")) {
                requireClientKey(ctx);
            } else if (ctx.path().startsWith("/admin/")) {
                requireAdmin(ctx);
            }
        });
        app.get("/health", ctx -> {
            ObjectNode body = JSON.createObjectNode();
            ModelSlot champion = state.slots().get(Arm.CHAMPION);
            if (champion == null) {
                body.put("status", "unavailable");
                body.put("champion", (String) null);
                body.put("error", state.slots().championUnavailable());
                json(ctx, 503, body);
                return;
            }
            body.put("status", "ok");
            body.put("champion", champion.modelId());
            ModelSlot challenger = state.slots().get(Arm.CHALLENGER);
            body.put("challenger", challenger == null ? null : challenger.modelId());
            body.put("challenger_share", state.challengerShare());
            json(ctx, 200, body);
        });
        app.get("/metrics", ctx -> {
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
            ctx.result(state.metrics().render(a -> {
                        ModelSlot s = state.slots().get(a);
                        return s == null ? 0 : s.inFlight();
                    })
                    + load.metrics()
                    + ab.metrics());
        });
        app.get("/v1/models", ctx -> json(ctx, 200, ModelCatalog.list(state, loader.registry())));
        app.post("/v1/chat/completions", ctx -> complete(ctx, true));
        app.post("/v1/completions", ctx -> complete(ctx, false));
        app.post("/v1/feedback", ctx -> json(ctx, 200, feedbacks.record(body(ctx))));
        app.post("/admin/split", ctx -> {
            JsonNode body = body(ctx);
            if (!body.path("challenger_share").isNumber()) {
                throw OpenAiException.badRequest("challenger_share", "challenger_share must be a number in [0, 1]");
            }
            state.setChallengerShare(body.get("challenger_share").asDouble(), "set by /admin/split");
            if (body.has("shadow")) {
                state.setShadow(body.get("shadow").asBoolean(), "set by /admin/split");
            }
            json(
                    ctx,
                    200,
                    JSON.valueToTree(Map.of("challenger_share", state.challengerShare(), "shadow", state.shadow())));
        });
        app.post("/admin/promote", ctx -> json(ctx, 200, JSON.valueToTree(Admin.promote(loader, state, watcher))));
        app.post("/admin/rollback", ctx -> json(ctx, 200, JSON.valueToTree(Admin.rollback(loader, state, watcher))));
        app.get("/admin/events", ctx -> json(ctx, 200, Admin.events(state)));
        app.get("/admin/ab", ctx -> json(ctx, 200, ab.status()));
        app.post(
                "/admin/models/load",
                ctx -> json(ctx, 200, JSON.valueToTree(ModelAdmin.load(loader, state, watcher, body(ctx)))));
        app.post(
                "/admin/models/switch",
                ctx -> json(ctx, 200, JSON.valueToTree(ModelAdmin.switchChampion(loader, state, watcher, body(ctx)))));
        app.post("/admin/models/unload", ctx -> json(ctx, 200, JSON.valueToTree(ModelAdmin.unload(state, body(ctx)))));
        app.post("/api/chat", ollama::chat);
        app.post("/api/generate", ollama::generate);
        app.get("/api/tags", ollama::tags);
        app.post("/api/show", ollama::show);
        app.get("/api/version", ollama::version);
        app.after(ctx -> {
            Integer recorded = ctx.attribute(RECORDED_STATUS);
            state.metrics().request(ctx.endpointHandlerPath(), recorded != null ? recorded : ctx.statusCode());
        });
        app.exception(OpenAiException.class, (e, ctx) -> error(ctx, e));
        // the client closed its connection: nothing to answer, and not a server error
        app.exception(
                ClientGoneException.class, (e, ctx) -> ctx.attribute(RECORDED_STATUS, ClientGoneException.STATUS));
        app.exception(
                HttpResponseException.class,
                (e, ctx) -> error(
                        ctx,
                        new OpenAiException(
                                e.getStatus(),
                                e.getStatus() < 500 ? "invalid_request_error" : "server_error",
                                httpCode(e.getStatus()),
                                null,
                                e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> error(ctx, unexpected(e)));
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(
                        ctx,
                        new OpenAiException(
                                404,
                                "invalid_request_error",
                                "not_found",
                                null,
                                "no route " + ctx.method() + " " + ctx.path()));
            }
        });
    }

    private void complete(Context ctx, boolean chatRoute) throws IOException {
        ChatRequest request = ChatRequest.parse(body(ctx), chatRoute, state.config());
        Models.requireKnown(state, request.model());
        ChatService.Caller caller = caller(ctx);
        if (!request.stream()) {
            CancellationToken clientGone = new CancellationToken();
            ChatService.Reply reply;
            try (ClientWatch.Registration watched = watch(ctx, clientGone)) {
                reply = chat.serve(request, caller, id -> {}, piece -> {}, clientGone);
            }
            if (reply.conversationId() != null) {
                ctx.header("X-Conversation-Id", reply.conversationId());
            }
            ctx.header("X-Tanrenai-Arm", reply.arm().wireName());
            json(ctx, 200, chatRoute ? Responses.chatCompletion(reply) : Responses.textCompletion(reply));
            return;
        }
        new SseStream(ctx, chatRoute).run(chat, request, caller);
    }

    /** Cancels {@code clientGone} when the client of {@code ctx} closes its connection (see {@link ClientWatch}). */
    private ClientWatch.Registration watch(Context ctx, CancellationToken clientGone) {
        return clientWatch.watch(
                ctx.req().getLocalAddr(),
                ctx.req().getLocalPort(),
                ctx.req().getRemoteAddr(),
                ctx.req().getRemotePort(),
                clientGone);
    }

    private ChatService.Caller caller(Context ctx) {
        return new ChatService.Caller(ctx.header("X-Conversation-Id"), ctx.header("X-Tanrenai-User"), pinnedArm(ctx));
    }

    private Arm pinnedArm(Context ctx) {
        String pin = ctx.header("X-Tanrenai-Arm");
        if (pin == null) {
            return null;
        }
        String admin = state.config().adminKey();
        if (admin == null || !admin.equals(ctx.header("X-Admin-Key"))) {
            throw new OpenAiException(
                    401,
                    "invalid_request_error",
                    "invalid_admin_key",
                    null,
                    "pinning an arm with X-Tanrenai-Arm needs the admin key in X-Admin-Key");
        }
        return Arm.fromName(pin);
    }

    private void requireClientKey(Context ctx) {
        if (state.config().apiKeys().isEmpty()) {
            return;
        }
        String auth = ctx.header("Authorization");
        String key =
                auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (key == null || !state.config().apiKeys().contains(key)) {
            throw new OpenAiException(
                    401,
                    "invalid_request_error",
                    "invalid_api_key",
                    null,
                    key == null ? "missing API key: send Authorization: Bearer <key>" : "invalid API key");
        }
    }

    private void requireAdmin(Context ctx) {
        String admin = state.config().adminKey();
        if (admin == null) {
            throw new OpenAiException(
                    403,
                    "invalid_request_error",
                    "admin_disabled",
                    null,
                    "admin routes are disabled: start the server with an admin key");
        }
        String auth = ctx.header("Authorization");
        String key = ctx.header("X-Admin-Key") != null
                ? ctx.header("X-Admin-Key")
                : auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (!admin.equals(key)) {
            throw new OpenAiException(401, "invalid_request_error", "invalid_admin_key", null, "invalid admin key");
        }
    }

    /** A 4xx when Jetty says the request was malformed, else a 500 naming the exception. */
    private static OpenAiException unexpected(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadMessageException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
                return new OpenAiException(
                        bad.getCode(), "invalid_request_error", httpCode(bad.getCode()), null, bad.getReason());
            }
        }
        return new OpenAiException(
                500, "server_error", "internal_error", null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static String httpCode(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            default -> "http_" + status;
        };
    }

    private JsonNode body(Context ctx) {
        return RequestBody.json(
                ctx, state.config().maxBodyBytes(), state.config().bodyTimeout());
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body.toString());
    }

    private void error(Context ctx, OpenAiException e) {
        if (closing.get() || e.status() == 413 || e.status() == 408) {
            // no further request on a connection that is about to close, or whose unread body (announced
            // too large, or stalled) Jetty would otherwise try to consume before answering the next one
            ctx.header("Connection", "close");
        }
        ctx.status(e.status());
        ctx.contentType("application/json");
        if (ctx.path().startsWith("/api/")) { // Ollama's error shape
            ctx.result(JSON.createObjectNode().put("error", e.getMessage()).toString());
        } else {
            ctx.result(e.body());
        }
    }

    /** Writes Server-Sent Events straight to the response. */
    static void write(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Stops taking requests (new ones get 503 with {@code Connection: close} while the listener stays
     * open), lets every request already taken in finish (reading its body, waiting or generating; up
     * to the generation timeout), then stops Jetty and closes the models.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        watcher.close();
        ab.close();
        long deadline = System.nanoTime()
                + state.config().timeout().toNanos()
                + state.config().bodyTimeout().toNanos();
        while (System.nanoTime() < deadline
                && (busy() || load.unanswered(state.config().bodyTimeout()) > 0)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        clientWatch.close();
        state.slots().close();
        logDb.closePooled();
    }

    private boolean busy() {
        for (Arm a : Arm.values()) {
            ModelSlot s = state.slots().get(a);
            if (s != null && s.inFlight() > 0) {
                return true;
            }
        }
        return false;
    }
}
