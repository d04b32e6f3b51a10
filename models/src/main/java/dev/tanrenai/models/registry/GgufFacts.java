package dev.tanrenai.models.registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Interprets GGUF header metadata for the registry: architecture, key hyper-parameters, adapter checks. */
final class GgufFacts {
    private GgufFacts() {}

    static String architecture(Map<String, String> header, Path file) {
        String architecture = header.get("general.architecture");
        if (architecture == null || architecture.isBlank()) {
            throw new RegistryException(file + " has no general.architecture metadata");
        }
        return architecture;
    }

    /** context_length, embedding_length, block_count, head_count, head_count_kv, vocab_size, file_type. */
    static Map<String, String> keyMetadata(Map<String, String> header, String arch) {
        Map<String, String> out = new LinkedHashMap<>();
        copy(header, arch + ".context_length", out, "context_length");
        copy(header, arch + ".embedding_length", out, "embedding_length");
        copy(header, arch + ".block_count", out, "block_count");
        copy(header, arch + ".attention.head_count", out, "head_count");
        copy(header, arch + ".attention.head_count_kv", out, "head_count_kv");
        copy(header, arch + ".vocab_size", out, "vocab_size");
        if (!out.containsKey("vocab_size")) {
            copy(header, "tokenizer.ggml.tokens", out, "vocab_size"); // array: its length
        }
        copy(header, "general.file_type", out, "file_type");
        return out;
    }

    private static void copy(Map<String, String> header, String key, Map<String, String> out, String as) {
        String value = header.get(key);
        if (value != null) {
            out.put(as, value);
        }
    }

    /** Fails unless {@code header} describes a LoRA adapter for {@code base}'s architecture. */
    static void requireLoraAdapterFor(Map<String, String> header, Path file, BaseModel base) {
        String type = header.get("general.type");
        if (!"adapter".equals(type)) {
            throw new RegistryException(file + " is not an adapter: general.type is "
                    + (type == null ? "missing" : "'" + type + "'") + ", expected 'adapter'");
        }
        String adapterType = header.get("adapter.type");
        if (!"lora".equals(adapterType)) {
            throw new RegistryException(file + " is not a LoRA adapter: adapter.type is "
                    + (adapterType == null ? "missing" : "'" + adapterType + "'") + ", expected 'lora'");
        }
        String architecture = architecture(header, file);
        if (!architecture.equals(base.architecture())) {
            throw new RegistryException("adapter " + file + " is for architecture '" + architecture
                    + "' but base model " + base.id() + " (" + base.name() + ") is '" + base.architecture() + "'");
        }
    }
}
