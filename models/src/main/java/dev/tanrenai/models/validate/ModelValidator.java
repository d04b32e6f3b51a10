package dev.tanrenai.models.validate;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufFormatException;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Checks a base model GGUF before llama.cpp sees it: every hyper-parameter llama.cpp b4916 asserts
 * on (see {@link HyperParameters}), every tensor's presence and shape against them ({@link
 * TensorLayout}), and that no weight is Inf or NaN ({@link FiniteScan}). Used by the registry (at
 * registration and before an alias move) and by the runtime (before every load: serving, the alias
 * watch, generation, evaluation).
 *
 * <p>Cost: one streaming pass over the memory-mapped tensor data for F32/F16/BF16 weights, one read
 * per block for quantized ones; a file that passed is remembered for this JVM by path, size and
 * modification time.
 */
public final class ModelValidator {
    private ModelValidator() {}

    /**
     * Fails with a {@link ModelValidationException} naming the file, the key or tensor and the value
     * when {@code file} is not a base model llama.cpp can load and run without aborting.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public static void validateBase(Path file) {
        String key = ValidatedFiles.key("base", file);
        if (ValidatedFiles.passed(key)) {
            return;
        }
        try (GgufFile gguf = open(file)) {
            MetadataReader m = new MetadataReader(file, gguf.metadata());
            String type = m.optionalString("general.type").orElse("model");
            if (!type.equals("model")) {
                throw m.fail("general.type", type, "a base model must have general.type 'model' (or none)");
            }
            HyperParameters h = HyperParameters.read(m);
            TensorLayout.of(h).check(gguf, m);
            for (GgufTensorInfo t : gguf.tensors()) {
                FiniteScan.scan(gguf, t, m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ValidatedFiles.remember(key);
    }

    /** Opens a GGUF, turning a format error into a {@link ModelValidationException}. */
    static GgufFile open(Path file) throws IOException {
        try {
            return GgufFile.open(file);
        } catch (GgufFormatException e) {
            throw new ModelValidationException(
                    file,
                    e.tensorName() != null ? e.tensorName() : "file",
                    "offset " + e.offset(),
                    "not a valid GGUF file: " + e.getMessage());
        }
    }
}
