package dev.tanrenai.train.run;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.decoder.render.ConversationRenderer;
import dev.tanrenai.decoder.render.TrainingExample;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders conversations into training examples with the base model's own chat template and
 * tokenizer, as llama.cpp will serve them. Conversations without an assistant turn and those the
 * template cannot render are counted with their reasons, never dropped silently.
 */
final class TrainingData implements AutoCloseable {

    /**
     * The examples of a list of conversations.
     *
     * @param renderedConversations the conversations behind {@code examples}, in the same order
     * @param unrenderable reason by conversation id
     */
    record Rendered(
            List<TrainingExample> examples,
            List<Conversation> renderedConversations,
            int conversations,
            int withoutAssistantTurn,
            Map<String, String> unrenderable) {

        long trainedTokens() {
            return examples.stream().mapToLong(TrainingExample::trainedTokens).sum();
        }
    }

    private final LlamaRuntime runtime;
    private final ConversationRenderer renderer;

    private TrainingData(LlamaRuntime runtime, ConversationRenderer renderer) {
        this.runtime = runtime;
        this.renderer = renderer;
    }

    static TrainingData open(Path baseModel, Path nativeDir) throws IOException {
        int bos;
        try (GgufFile gguf = GgufFile.open(baseModel)) {
            bos = ConversationRenderer.bosOf(gguf.metadata());
        }
        LlamaRuntime runtime = LlamaRuntime.load(RuntimeOptions.defaults(baseModel, nativeDir));
        return new TrainingData(runtime, new ConversationRenderer(runtime, bos));
    }

    Rendered render(List<Conversation> conversations) {
        List<TrainingExample> examples = new ArrayList<>();
        List<Conversation> rendered = new ArrayList<>();
        Map<String, String> unrenderable = new LinkedHashMap<>();
        int withoutAssistant = 0;
        for (Conversation c : conversations) {
            if (c.messages().stream().noneMatch(m -> m.role() == Role.ASSISTANT && hasOutput(m))) {
                withoutAssistant++;
                continue;
            }
            TrainingExample example;
            try {
                example = renderer.render(c);
            } catch (IllegalArgumentException e) {
                unrenderable.put(c.id(), e.getMessage());
                continue;
            }
            examples.add(example);
            rendered.add(c);
        }
        return new Rendered(examples, rendered, conversations.size(), withoutAssistant, unrenderable);
    }

    private static boolean hasOutput(Message m) {
        return !m.content().isEmpty() || !m.toolCalls().isEmpty();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
