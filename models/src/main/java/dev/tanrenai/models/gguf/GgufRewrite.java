package dev.tanrenai.models.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A copy of a GGUF file with some metadata values and tensor values replaced, everything else
 * byte-identical (same keys in the same order, same tensor types). Used to derive variants of a
 * model, e.g. the malformed files a validator must refuse.
 */
public final class GgufRewrite {
    private final Path source;
    private final Map<String, GgufValue> metadata = new HashMap<>();
    private final Map<String, float[]> tensors = new HashMap<>();
    private final java.util.Set<String> dropped = new java.util.HashSet<>();

    private GgufRewrite(Path source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Starts a rewrite of {@code source}. */
    public static GgufRewrite of(Path source) {
        return new GgufRewrite(source);
    }

    /** Sets {@code key} to {@code value} (replacing it in place, or appending it when absent). */
    public GgufRewrite set(String key, GgufValue value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Replaces tensor {@code name}'s values (its element count), encoded in its own type. */
    public GgufRewrite tensor(String name, float[] values) {
        tensors.put(Objects.requireNonNull(name, "name"), values.clone());
        return this;
    }

    /** Leaves tensor {@code name} out of the copy. */
    public GgufRewrite without(String name) {
        dropped.add(Objects.requireNonNull(name, "name"));
        return this;
    }

    /** Writes the copy to {@code target} (atomically). */
    public void write(Path target) throws IOException {
        try (GgufFile in = GgufFile.open(source)) {
            GgufWriter out = new GgufWriter(in.alignment());
            Map<String, GgufValue> pending = new LinkedHashMap<>(metadata);
            for (Map.Entry<String, GgufValue> e : in.metadata().asMap().entrySet()) {
                if (e.getKey().equals("general.alignment")) {
                    continue; // written by the writer's constructor
                }
                GgufValue replaced = pending.remove(e.getKey());
                out.put(e.getKey(), replaced != null ? replaced : e.getValue());
            }
            pending.forEach(out::put);
            for (GgufTensorInfo t : in.tensors()) {
                if (dropped.contains(t.name())) {
                    continue;
                }
                float[] values = tensors.get(t.name());
                if (values == null) {
                    ByteBuffer copy = ByteBuffer.allocate((int) t.byteSize());
                    copy.put(in.rawData(t)).flip();
                    out.addTensor(t.name(), t.shape(), t.type(), copy);
                } else {
                    out.addTensor(t.name(), t.shape(), t.type(), values);
                }
            }
            for (String name : dropped) {
                in.tensor(name); // fails for a tensor the file does not have
            }
            for (String name : tensors.keySet()) {
                in.tensor(name); // fails for a tensor the file does not have
            }
            out.write(target);
        }
    }
}
