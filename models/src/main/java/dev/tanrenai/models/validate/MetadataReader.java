package dev.tanrenai.models.validate;

import dev.tanrenai.models.gguf.GgufArray;
import dev.tanrenai.models.gguf.GgufMetadata;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.gguf.GgufValueType;
import java.nio.file.Path;
import java.util.Optional;

/** Typed, range-checked reads of GGUF metadata that fail with a {@link ModelValidationException}. */
final class MetadataReader {
    private final Path file;
    private final GgufMetadata metadata;

    MetadataReader(Path file, GgufMetadata metadata) {
        this.file = file;
        this.metadata = metadata;
    }

    Path file() {
        return file;
    }

    boolean has(String key) {
        return metadata.contains(key);
    }

    ModelValidationException fail(String key, Object value, String why) {
        return new ModelValidationException(file, key, String.valueOf(value), why);
    }

    String requiredString(String key) {
        GgufValue v = metadata.find(key).orElseThrow(() -> fail(key, "missing", "the key is required"));
        if (v.type() != GgufValueType.STRING) {
            throw fail(key, v.render(), "must be a STRING, is " + v.type());
        }
        return (String) v.value();
    }

    Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(requiredString(key)) : Optional.empty();
    }

    /** An integer key in {@code [min, max]}. */
    long requiredInt(String key, long min, long max) {
        GgufValue v = metadata.find(key).orElseThrow(() -> fail(key, "missing", "the key is required"));
        return checkInt(key, v, min, max);
    }

    long optionalInt(String key, long defaultValue, long min, long max) {
        return has(key) ? requiredInt(key, min, max) : defaultValue;
    }

    private long checkInt(String key, GgufValue v, long min, long max) {
        if (!v.type().isInteger()) {
            throw fail(key, v.render(), "must be an integer, is " + v.type());
        }
        long value = (Long) v.value();
        if (v.type() == GgufValueType.UINT64 && value < 0) {
            throw fail(key, Long.toUnsignedString(value), "must be in [" + min + ", " + max + "]");
        }
        if (value < min || value > max) {
            throw fail(key, value, "must be in [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * A per-layer integer (llama.cpp's {@code get_key_or_arr}): one scalar for every layer, or an
     * array of exactly {@code layers} values; each in {@code [min, max]}.
     */
    long[] perLayer(String key, int layers, Long defaultValue, long min, long max) {
        long[] out = new long[layers];
        Optional<GgufValue> found = metadata.find(key);
        if (found.isEmpty()) {
            if (defaultValue == null) {
                throw fail(key, "missing", "the key is required");
            }
            java.util.Arrays.fill(out, defaultValue);
            return out;
        }
        GgufValue v = found.get();
        if (v.type() != GgufValueType.ARRAY) {
            java.util.Arrays.fill(out, checkInt(key, v, min, max));
            return out;
        }
        GgufArray array = (GgufArray) v.value();
        if (array.size() != layers) {
            throw fail(
                    key, "array of " + array.size(), "a per-layer array must have block_count = " + layers + " values");
        }
        if (!array.elementType().isInteger()) {
            throw fail(key, "array of " + array.elementType(), "must hold integers");
        }
        for (int i = 0; i < layers; i++) {
            long value = (Long) array.elements().get(i);
            if (value < min || value > max) {
                throw fail(key + "[" + i + "]", value, "must be in [" + min + ", " + max + "]");
            }
            out[i] = value;
        }
        return out;
    }

    /** A FLOAT32/FLOAT64 key, finite and in {@code (lowExclusive, high]} when present. */
    Optional<Double> optionalFloat(String key, double lowExclusive, double high) {
        if (!has(key)) {
            return Optional.empty();
        }
        return Optional.of(requiredFloat(key, lowExclusive, high));
    }

    double requiredFloat(String key, double lowExclusive, double high) {
        GgufValue v = metadata.find(key).orElseThrow(() -> fail(key, "missing", "the key is required"));
        if (v.type() != GgufValueType.FLOAT32 && v.type() != GgufValueType.FLOAT64) {
            throw fail(key, v.render(), "must be FLOAT32 or FLOAT64, is " + v.type());
        }
        double value = ((Number) v.value()).doubleValue();
        if (!Double.isFinite(value)) {
            throw fail(key, value, "must be a finite number");
        }
        if (!(value > lowExclusive && value <= high)) {
            throw fail(key, value, "must be in (" + lowExclusive + ", " + high + "]");
        }
        return value;
    }

    /** The array at {@code key}, if present. */
    Optional<GgufArray> optionalArray(String key) {
        Optional<GgufValue> v = metadata.find(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().type() != GgufValueType.ARRAY) {
            throw fail(key, v.get().render(), "must be an ARRAY, is " + v.get().type());
        }
        return Optional.of((GgufArray) v.get().value());
    }
}
