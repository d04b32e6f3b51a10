package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generations whose tokens split UTF-8 characters (the tiny model's random weights emit byte tokens)
 * are counted in tokens, not in the pieces llama.cpp streams: a generation the limit ended is LENGTH
 * with exactly max tokens (it used to be STOP with fewer, one per piece).
 */
class SplitUtf8IT {

    private static final int MAX = 96;

    @TempDir
    Path dir;

    @Test
    void aGenerationTheLimitEndedIsLengthWithMaxTokensEvenWhenCharactersWereSplit() throws IOException {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        try (LlamaRuntime runtime = LlamaRuntime.load(
                RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512))) {
            int checked = 0;
            for (int p = 0; p < 40 && checked < 3; p++) {
                String prompt = "<|im_start|>user\nstory number " + p + "<|im_end|>\n<|im_start|>assistant\n";
                Completion limited = runtime.complete(GenerationRequest.greedy(prompt, MAX));
                Completion longer = runtime.complete(GenerationRequest.greedy(prompt, MAX + 32));
                boolean split = limited.text().chars().anyMatch(c -> c >= 0x80);
                // greedy is repeatable (prompt cache off): the limited run is a prefix of the longer one, and when
                // the longer one went on, nothing but the limit ended the first
                boolean endedByLimit = longer.text().startsWith(limited.text())
                        && longer.text().length() > limited.text().length();
                if (!split || !endedByLimit) {
                    continue;
                }
                checked++;
                assertEquals(FinishReason.LENGTH, limited.finishReason(), "prompt " + p + ": " + limited);
                assertEquals(MAX, limited.tokenCount(), "prompt " + p);
            }
            assertTrue(checked > 0, "no prompt gave a limit-ended generation with split characters");
        }
    }
}
