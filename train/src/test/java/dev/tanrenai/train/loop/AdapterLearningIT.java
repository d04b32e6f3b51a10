package dev.tanrenai.train.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.render.ConversationRenderer;
import dev.tanrenai.decoder.render.TrainingExample;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge end to end, in miniature: an adapter trained in DJL on one conversation (loss on the
 * assistant's tokens only), exported as a llama.cpp LoRA GGUF, makes llama.cpp give that answer
 * greedily where the base model does not.
 */
class AdapterLearningIT {

    private static final String QUESTION = "What is the secret word?";
    private static final String ANSWER = "The secret word is tempering.";

    @TempDir
    Path dir;

    @Test
    void aTrainedAdapterTeachesLlamaCppTheAnswer() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        Path nativeDir = dir.resolve("native");
        Path adapter = dir.resolve("learned.gguf");
        String prompt;
        String baseAnswer;
        int[] tokens;
        boolean[] mask;
        try (LlamaRuntime base = LlamaRuntime.load(RuntimeOptions.defaults(model, nativeDir))) {
            prompt = base.applyChatTemplate(List.of(Message.user(QUESTION)), true);
            baseAnswer = base.complete(GenerationRequest.greedy(prompt, 24)).text();
            // training format = serving format: rendered by the model's template, loss on the assistant turn
            Conversation conversation = new Conversation(
                    "secret",
                    "test",
                    Instant.EPOCH,
                    Instant.EPOCH,
                    List.of(Message.user(QUESTION), Message.assistant(ANSWER)),
                    Map.of());
            TrainingExample example = new ConversationRenderer(base, 1).render(conversation);
            tokens = example.tokens();
            mask = example.lossMask();
            // the tiny maker zeroes the output row of <|im_end|> (random models never end a turn) and the
            // adapter does not adapt the output projection: leave the end-of-turn tokens out of this loss
            int[] end = base.tokenize("<|im_end|>\n");
            for (int i = tokens.length - end.length; i < tokens.length; i++) {
                mask[i] = false;
            }
        }
        assertTrue(!baseAnswer.startsWith(ANSWER), "the untrained model does not know the answer: " + baseAnswer);

        float first;
        float last = Float.NaN;
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraConfig config = new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 42);
            LoraWeights lora = LoraWeights.initialize(config, weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            first = trainer.step(tokens, mask, 5e-3f, 1f, m);
            for (int i = 0; i < 100; i++) {
                last = trainer.step(tokens, mask, 5e-3f, 1f, m);
            }
            lora.writeGguf(adapter);
        }
        assertTrue(last < first / 10, "the loss falls: first " + first + ", last " + last);

        try (LlamaRuntime adapted = LlamaRuntime.load(
                RuntimeOptions.defaults(model, nativeDir).withAdapters(List.of(LoraAdapterRef.of(adapter))))) {
            String learned =
                    adapted.complete(GenerationRequest.greedy(prompt, 24)).text();
            assertTrue(learned.startsWith(ANSWER), "llama.cpp with the adapter says: " + learned);
        }
    }
}
