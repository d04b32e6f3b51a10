package dev.tanrenai.models.gguf;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What {@code pipeline models inspect} shows about a GGUF file: architecture, key
 * hyper-parameters, tensor and parameter counts per type, and a renderable metadata and tensor
 * table.
 *
 * @param path the file
 * @param version GGUF version
 * @param architecture {@code general.architecture}, or "(none)"
 * @param name {@code general.name}, or "(none)"
 * @param hyperParameters the architecture's hyper-parameters present in the file, in file order
 * @param vocabSize number of tokens in {@code tokenizer.ggml.tokens} (empty if absent)
 * @param tokenizerModel {@code tokenizer.ggml.model}, or "(none)"
 * @param hasChatTemplate whether {@code tokenizer.chat_template} is present
 * @param tensorCount number of tensors
 * @param parameterCount total number of elements over all tensors
 * @param tensorsByType number of tensors per type
 * @param parametersByType number of elements per type
 * @param fileSize bytes
 * @param metadata the full metadata
 * @param tensors tensor infos in file order
 */
public record GgufSummary(
        Path path,
        int version,
        String architecture,
        String name,
        Map<String, String> hyperParameters,
        OptionalInt vocabSize,
        String tokenizerModel,
        boolean hasChatTemplate,
        int tensorCount,
        long parameterCount,
        Map<GgmlType, Integer> tensorsByType,
        Map<GgmlType, Long> parametersByType,
        long fileSize,
        GgufMetadata metadata,
        List<GgufTensorInfo> tensors) {

    public GgufSummary {
        hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        tensorsByType = Collections.unmodifiableMap(new EnumMap<>(tensorsByType));
        parametersByType = Collections.unmodifiableMap(new EnumMap<>(parametersByType));
        tensors = List.copyOf(tensors);
    }

    /** Summarizes an open file. */
    public static GgufSummary of(GgufFile file) {
        GgufMetadata md = file.metadata();
        String arch = md.find("general.architecture")
                .filter(v -> v.type() == GgufValueType.STRING)
                .map(v -> (String) v.value())
                .orElse("(none)");
        Map<String, String> hyper = new LinkedHashMap<>();
        String prefix = arch + ".";
        for (Map.Entry<String, GgufValue> e : md.asMap().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                hyper.put(e.getKey().substring(prefix.length()), e.getValue().render());
            }
        }
        OptionalInt vocab = md.find("tokenizer.ggml.tokens")
                .filter(v -> v.type() == GgufValueType.ARRAY)
                .map(v -> OptionalInt.of(((GgufArray) v.value()).size()))
                .orElse(OptionalInt.empty());
        Map<GgmlType, Integer> countByType = new EnumMap<>(GgmlType.class);
        Map<GgmlType, Long> paramsByType = new EnumMap<>(GgmlType.class);
        long params = 0;
        for (GgufTensorInfo t : file.tensors()) {
            countByType.merge(t.type(), 1, Integer::sum);
            paramsByType.merge(t.type(), t.elementCount(), Long::sum);
            params += t.elementCount();
        }
        return new GgufSummary(
                file.path(),
                file.version(),
                arch,
                stringOr(md, "general.name"),
                hyper,
                vocab,
                stringOr(md, "tokenizer.ggml.model"),
                md.contains("tokenizer.chat_template"),
                file.tensors().size(),
                params,
                countByType,
                paramsByType,
                file.fileSize(),
                md,
                file.tensors());
    }

    private static String stringOr(GgufMetadata md, String key) {
        return md.find(key)
                .filter(v -> v.type() == GgufValueType.STRING)
                .map(v -> (String) v.value())
                .orElse("(none)");
    }

    /** Multi-line text: overview, hyper-parameters, per-type counts, then optionally metadata and tensors. */
    public String render(boolean withMetadataAndTensors) {
        StringBuilder sb = new StringBuilder();
        sb.append("file:           ").append(path).append(" (").append(fileSize).append(" bytes)\n");
        sb.append("gguf version:   ").append(version).append('\n');
        sb.append("architecture:   ").append(architecture).append('\n');
        sb.append("name:           ").append(name).append('\n');
        hyperParameters.forEach(
                (k, v) -> sb.append("  ").append(k).append(" = ").append(v).append('\n'));
        sb.append("tokenizer:      ").append(tokenizerModel);
        vocabSize.ifPresent(n -> sb.append(", ").append(n).append(" tokens"));
        sb.append(hasChatTemplate ? ", chat template present" : ", no chat template")
                .append('\n');
        sb.append("tensors:        ")
                .append(tensorCount)
                .append(", ")
                .append(parameterCount)
                .append(" parameters\n");
        tensorsByType.forEach((type, n) -> sb.append("  ")
                .append(type)
                .append(": ")
                .append(n)
                .append(" tensors, ")
                .append(parametersByType.get(type))
                .append(" parameters\n"));
        if (withMetadataAndTensors) {
            sb.append("metadata (").append(metadata.size()).append(" keys):\n");
            metadata.asMap().forEach((k, v) -> sb.append("  ")
                    .append(k)
                    .append(" [")
                    .append(v.type())
                    .append("] = ")
                    .append(abbreviate(v.render()))
                    .append('\n'));
            sb.append(String.format("%-40s %-6s %-24s %12s%n", "tensor", "type", "shape (ne)", "elements"));
            for (GgufTensorInfo t : tensors) {
                sb.append(String.format(
                        "%-40s %-6s %-24s %12d%n", t.name(), t.type(), Arrays.toString(t.shape()), t.elementCount()));
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
