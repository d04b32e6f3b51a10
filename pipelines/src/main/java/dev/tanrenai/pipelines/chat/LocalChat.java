package dev.tanrenai.pipelines.chat;

import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.serve.Arm;
import dev.tanrenai.serve.ChallengerGuard;
import dev.tanrenai.serve.ChatRequest;
import dev.tanrenai.serve.ChatService;
import dev.tanrenai.serve.ConversationLog;
import dev.tanrenai.serve.ModelSlot;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeState;
import dev.tanrenai.serve.SlotLoader;
import dev.tanrenai.serve.Slots;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The model in this process, loaded and run as {@code pipeline serve} does (serve's slot loader
 * verifies the files, its chat service renders the template, generates within the limits and logs
 * each turn through serve's conversation logger with source {@code serve}).
 */
final class LocalChat implements ChatBackend {

    private final ModelRegistry registry;
    private final ConversationStore store;
    private final SlotLoader loader;
    private final ServeState state;
    private final ChatService chat;

    LocalChat(ModelRegistry registry, ConversationStore store, ServeConfig config, Path nativeDir, String model) {
        this.registry = registry;
        this.store = store;
        this.loader = new SlotLoader(registry, config, nativeDir);
        this.state = new ServeState(config, new Slots(config.timeout()), ChallengerGuard.defaults());
        this.chat = new ChatService(state, new ConversationLog(store));
        install(registry.resolve(model));
    }

    private void install(ModelRef ref) {
        state.slots().install(loader.load(Arm.CHAMPION, ref));
    }

    private ModelSlot slot() {
        return state.slots().get(Arm.CHAMPION);
    }

    @Override
    public Turn answer(
            String conversationId, List<Message> messages, Settings settings, Pieces pieces, StopSignal stop) {
        ChatRequest request = new ChatRequest(
                "",
                messages,
                null,
                null,
                settings.temperature(),
                1.0f,
                settings.maxTokens(),
                List.of(),
                settings.seed(),
                null,
                false,
                false);
        long started = System.nanoTime();
        ChatService.Reply reply =
                chat.serve(request, new ChatService.Caller(conversationId, null, Arm.CHAMPION), id -> {}, piece -> {
                    stop.check(); // unwinds the generation: llama.cpp's iterator is cancelled, nothing is logged
                    pieces.accept(piece);
                });
        return new Turn(
                reply.text(),
                reply.model(),
                reply.conversationId(),
                messages.size(),
                reply.finishReason(),
                reply.promptTokens(),
                reply.completionTokens(),
                (System.nanoTime() - started) / 1e9);
    }

    @Override
    public void feedback(String conversationId, int messageIndex, double score) {
        store.recordFeedback(new Feedback(conversationId, messageIndex, score, "pipeline chat", Instant.now()));
    }

    @Override
    public String describe() {
        ModelSlot s = slot();
        return s.modelId() + (s.adapterId() == null ? " (base model)" : " (adapter on " + s.baseModelId() + ")");
    }

    @Override
    public void model(String reference) {
        install(registry.resolve(reference));
    }

    @Override
    public void adapter(String reference) {
        if (reference == null) {
            install(registry.resolve(slot().baseModelId()));
            return;
        }
        ModelRef ref = registry.resolve(reference);
        if (!ref.isAdapter()) {
            throw new IllegalArgumentException("'" + reference + "' is base model " + ref.id() + ", not an adapter");
        }
        install(ref);
    }

    @Override
    public void close() {
        state.slots().close();
    }
}
