package dev.tanrenai.models.registry;

import dev.tanrenai.models.gguf.GgufArray;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufFormatException;
import dev.tanrenai.models.gguf.GgufValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key-value metadata of a GGUF file as text, for the registry: scalars as their value, arrays as
 * their length ({@code tokenizer.ggml.tokens} becomes the vocabulary size). The file is fully
 * validated by {@link GgufFile#open} (header, tensor infos, data bounds).
 */
final class GgufHeader {
    private GgufHeader() {}

    /** The metadata of {@code file}; throws {@link RegistryException} naming the file on bad input. */
    static Map<String, String> read(Path file) {
        try (GgufFile gguf = GgufFile.open(file)) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, GgufValue> e : gguf.metadata().asMap().entrySet()) {
                out.put(e.getKey(), text(e.getValue()));
            }
            return out;
        } catch (GgufFormatException e) {
            throw new RegistryException(file + " is not a valid GGUF file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(GgufValue value) {
        switch (value.type()) {
            case STRING:
                return (String) value.value();
            case ARRAY:
                return Integer.toString(((GgufArray) value.value()).size());
            default:
                return value.render();
        }
    }
}
