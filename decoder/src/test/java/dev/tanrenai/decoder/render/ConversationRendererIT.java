package dev.tanrenai.decoder.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss mask covers exactly the assistant turns of the text the model's own template renders. */
class ConversationRendererIT {

    private static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void maskCoversExactlyTheAssistantTurnsOfTheRenderedText() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        Conversation c = new Conversation(
                "multi",
                "test",
                T,
                T,
                List.of(
                        Message.system("Be brief."),
                        Message.user("Is the stone in stock?"),
                        new Message(
                                Role.ASSISTANT,
                                "",
                                List.of(new ToolCall("k1", "stock", "{\"item\":\"stone\"}")),
                                null,
                                null,
                                null),
                        Message.tool("k1", "4 in stock"),
                        Message.assistant("Yes, four."),
                        Message.user("And the saw?"),
                        Message.assistant("Sold out.")),
                Map.of());
        try (LlamaRuntime rt = LlamaRuntime.load(RuntimeOptions.defaults(model, dir.resolve("native")))) {
            ConversationRenderer renderer = new ConversationRenderer(rt, 1);
            List<ConversationRenderer.Segment> segments = renderer.segments(c);
            StringBuilder all = new StringBuilder();
            StringBuilder trained = new StringBuilder();
            segments.forEach(s -> {
                all.append(s.text());
                if (s.trained()) {
                    trained.append(s.text());
                }
            });
            assertEquals(rt.applyChatTemplate(c.messages(), false), all.toString(), "segments cover the rendering");
            String toolCallTurn = "{\n  \"tool_calls\": [\n    {\n      \"name\": \"stock\",\n      \"arguments\": {\n"
                    + "        \"item\": \"stone\"\n      },\n      \"id\": \"k1\"\n    }\n  ]\n}<|im_end|>\n";
            assertEquals(
                    toolCallTurn + "Yes, four.<|im_end|>\nSold out.<|im_end|>\n",
                    trained.toString(),
                    "the assistant turns, the tool call as the template renders it, each with its end-of-turn marker");
            assertTrue(all.toString().contains("4 in stock"), "the tool result is rendered");
            assertFalse(trained.toString().contains("4 in stock"), "but the tool result is not trained");

            TrainingExample example = renderer.render(c);
            int[] tokens = example.tokens();
            boolean[] mask = example.lossMask();
            assertEquals(1, tokens[0]);
            assertFalse(mask[0]);
            List<Integer> maskedTokens = new ArrayList<>();
            for (int i = 0; i < tokens.length; i++) {
                if (mask[i]) {
                    maskedTokens.add(tokens[i]);
                }
            }
            String maskedText = rt.detokenize(
                    maskedTokens.stream().mapToInt(Integer::intValue).toArray());
            assertEquals(trained.toString(), maskedText, "the masked tokens are exactly the assistant text");
            assertTrue(example.trainedTokens() < tokens.length / 2, "system, user and tool turns are not trained");
        }
    }
}
