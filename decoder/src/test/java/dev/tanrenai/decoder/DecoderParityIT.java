package dev.tanrenai.decoder;

import dev.tanrenai.decoder.testing.Parity;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DJL computes what llama.cpp computes, for tiny models of both architectures (F32). */
class DecoderParityIT {

    @TempDir
    Path dir;

    private Path model(String arch) throws Exception {
        TinyModelSpec spec = arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default();
        Path file = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(spec.withSeed(7), file);
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void lastHiddenStateMatchesLlamaCppEmbedding(String arch) throws Exception {
        Path model = model(arch);
        for (String text : new String[] {"the cat is in the house", "a", "<|im_start|>user\nhi<|im_end|>\n"}) {
            Parity.checkHiddenState(model, dir.resolve("native"), text, 1e-3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void greedyDecodingMatchesLlamaCpp(String arch) throws Exception {
        Path model = model(arch);
        for (String prompt :
                new String[] {"the cat is", "in the house there is a", "<|im_start|>user\nhello<|im_end|>\n"}) {
            Parity.checkGreedy(model, dir.resolve("native"), prompt, 64);
        }
    }
}
