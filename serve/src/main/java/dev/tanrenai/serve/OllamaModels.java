package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufSummary;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code GET /api/tags} and {@code POST /api/show} say about the served models, in Ollama's
 * shapes: a name with the {@code :latest} tag, size and digest of the served file (the adapter's when
 * there is one), and {@code details} (format gguf, family, parameter size, quantization level) read
 * from the GGUF header.
 */
final class OllamaModels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeState state;
    private final ModelRegistry registry;

    OllamaModels(ServeState state, ModelRegistry registry) {
        this.state = state;
        this.registry = registry;
    }

    ObjectNode tags() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("models");
        for (String name : Models.names(state)) {
            ModelSlot slot = slotFor(name);
            if (slot == null) {
                continue;
            }
            ModelRef ref = registry.resolve(slot.modelId());
            ObjectNode m = list.addObject();
            m.put("name", name + ":latest");
            m.put("model", name + ":latest");
            m.put(
                    "modified_at",
                    ref.adapterIfAny()
                            .map(a -> a.addedAt())
                            .orElse(ref.base().addedAt())
                            .toString());
            m.put(
                    "size",
                    ref.base().sizeBytes()
                            + ref.adapterIfAny().map(a -> a.sizeBytes()).orElse(0L));
            m.put(
                    "digest",
                    ref.adapterIfAny().map(a -> a.sha256()).orElse(ref.base().sha256()));
            m.set("details", details(ref, summary(ref)));
        }
        return root;
    }

    ObjectNode show(String name) {
        ModelSlot slot = slotFor(name);
        ModelRef ref = registry.resolve(slot.modelId());
        GgufSummary summary = summary(ref);
        ObjectNode root = JSON.createObjectNode();
        root.put(
                "modelfile",
                "# served by Tanrenai: " + ref.id() + "\nFROM " + ref.base().path());
        root.put("parameters", "");
        root.put(
                "template",
                summary.metadata().optionalString("tokenizer.chat_template").orElse(""));
        root.set("details", details(ref, summary));
        ObjectNode info = root.putObject("model_info");
        for (Map.Entry<String, GgufValue> e : summary.metadata().asMap().entrySet()) {
            Object v = e.getValue().value();
            if (e.getKey().equals("tokenizer.chat_template")) {
                continue;
            }
            if (v instanceof Number n) {
                info.put(e.getKey(), n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : n.doubleValue());
            } else if (v instanceof String s) {
                info.put(e.getKey(), s);
            } else if (v instanceof Boolean b) {
                info.put(e.getKey(), b);
            } else {
                info.putNull(e.getKey()); // arrays (the vocabulary): Ollama also leaves them out unless verbose
            }
        }
        info.put("general.parameter_count", summary.parameterCount());
        ArrayNode capabilities = root.putArray("capabilities");
        capabilities.add("completion");
        if (root.get("template").asText().contains("tools")) {
            capabilities.add("tools");
        }
        root.put("modified_at", ref.base().addedAt().toString());
        return root;
    }

    /** The slot serving {@code name} (the server's name, an arm, or a served model id), or null. */
    private ModelSlot slotFor(String name) {
        if (name.isEmpty() || name.equals(Models.DEFAULT)) {
            return state.slots().get(Arm.CHAMPION);
        }
        for (Arm arm : Arm.values()) {
            ModelSlot slot = state.slots().get(arm);
            if (slot != null && (arm.wireName().equals(name) || slot.modelId().equals(name))) {
                return slot;
            }
        }
        return null;
    }

    private static GgufSummary summary(ModelRef ref) {
        try (GgufFile file = GgufFile.open(ref.base().path())) {
            return GgufSummary.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the GGUF header of " + ref.base().path(), e);
        }
    }

    private static ObjectNode details(ModelRef ref, GgufSummary summary) {
        ObjectNode d = JSON.createObjectNode();
        d.put("parent_model", ref.adapterIfAny().isPresent() ? ref.base().id() : "");
        d.put("format", "gguf");
        d.put("family", ref.base().architecture());
        d.putArray("families").add(ref.base().architecture());
        d.put("parameter_size", parameterSize(summary.parameterCount()));
        d.put(
                "quantization_level",
                summary.parametersByType().entrySet().stream()
                        .max(Comparator.comparingLong(Map.Entry::getValue))
                        .map(e -> e.getKey().name())
                        .orElse(GgmlType.F32.name()));
        return d;
    }

    /** Ollama's style: 260.0K, 1.1B, 7.6B. */
    static String parameterSize(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }
}
