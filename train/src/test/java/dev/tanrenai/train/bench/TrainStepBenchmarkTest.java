package dev.tanrenai.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training steps are timed only after a warm-up of at least the asked steps and seconds. */
class TrainStepBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void warmsUpForTheAskedSecondsBeforeTiming() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        long start = System.nanoTime();
        TrainStepBenchmark.Result r = TrainStepBenchmark.run(model, LoraConfig.defaults(42), 32, 0, 1.5, 2, 100);
        double elapsed = (System.nanoTime() - start) / 1e9;
        assertEquals(2, r.steps());
        // two timed steps of 32 tokens take milliseconds: the rest is the warm-up, which ran for >= 1.5 s
        assertTrue(elapsed >= 1.5 + 2 * r.stepSeconds() * 0.99, "elapsed " + elapsed + " s, step " + r.stepSeconds());
        assertEquals(32 / r.stepSeconds(), r.tokensPerSecond(), 1e-9 * r.tokensPerSecond());
        assertThrows(
                IllegalArgumentException.class,
                () -> TrainStepBenchmark.run(model, LoraConfig.defaults(42), 32, 0, -1, 2, 100));
    }
}
