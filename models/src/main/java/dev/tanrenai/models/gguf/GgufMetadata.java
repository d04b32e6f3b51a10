package dev.tanrenai.models.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The ordered key/value metadata of a GGUF file with typed getters. A getter for a missing key or
 * a value of another type throws {@link GgufMetadataException} naming the key, the expected and the
 * actual type, and the file.
 */
public final class GgufMetadata {
    private final Map<String, GgufValue> entries;
    private final Object source;

    /**
     * @param entries values in file order (copied)
     * @param source the file these came from, used in error messages (may be null)
     */
    public GgufMetadata(Map<String, GgufValue> entries, Object source) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.source = source;
    }

    /** All entries in file order (unmodifiable). */
    public Map<String, GgufValue> asMap() {
        return entries;
    }

    /** Keys in file order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public int size() {
        return entries.size();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The value of a key, if present. */
    public Optional<GgufValue> find(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The value of a key; fails if missing. */
    public GgufValue get(String key) {
        GgufValue value = entries.get(key);
        if (value == null) {
            throw new GgufMetadataException(key, "metadata key " + key + " is missing" + where());
        }
        return value;
    }

    public String getString(String key) {
        return (String) typed(key, "STRING", get(key), GgufValueType.STRING).value();
    }

    public boolean getBool(String key) {
        return (Boolean) typed(key, "BOOL", get(key), GgufValueType.BOOL).value();
    }

    /** Any integer type whose value fits an int. */
    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw new GgufMetadataException(key, "metadata key " + key + " = " + v + " does not fit an int" + where());
        }
        return (int) v;
    }

    /** Any integer type whose value fits a signed long. */
    public long getLong(String key) {
        GgufValue value = get(key);
        if (!value.type().isInteger()) {
            throw wrongType(key, "an integer", value);
        }
        long v = (Long) value.value();
        if (value.type() == GgufValueType.UINT64 && v < 0) {
            throw new GgufMetadataException(
                    key,
                    "metadata key " + key + " = " + Long.toUnsignedString(v) + " does not fit a signed long" + where());
        }
        return v;
    }

    /** FLOAT32 or FLOAT64 as a float. */
    public float getFloat(String key) {
        return (float) getDouble(key);
    }

    /** FLOAT32 or FLOAT64 as a double. */
    public double getDouble(String key) {
        GgufValue value = get(key);
        if (value.type() != GgufValueType.FLOAT32 && value.type() != GgufValueType.FLOAT64) {
            throw wrongType(key, "FLOAT32 or FLOAT64", value);
        }
        return ((Number) value.value()).doubleValue();
    }

    public GgufArray getArray(String key) {
        return (GgufArray) typed(key, "ARRAY", get(key), GgufValueType.ARRAY).value();
    }

    public List<String> getStringArray(String key) {
        GgufArray array = getArray(key);
        if (array.elementType() != GgufValueType.STRING) {
            throw new GgufMetadataException(
                    key,
                    "metadata key " + key + " is an array of " + array.elementType() + ", expected an array of STRING"
                            + where());
        }
        return array.asStrings();
    }

    public float[] getFloatArray(String key) {
        GgufArray array = getArray(key);
        try {
            return array.asFloats();
        } catch (IllegalStateException e) {
            throw new GgufMetadataException(key, "metadata key " + key + ": " + e.getMessage() + where());
        }
    }

    public int[] getIntArray(String key) {
        GgufArray array = getArray(key);
        try {
            return array.asInts();
        } catch (IllegalStateException e) {
            throw new GgufMetadataException(key, "metadata key " + key + ": " + e.getMessage() + where());
        }
    }

    public Optional<String> optionalString(String key) {
        return contains(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    public OptionalInt optionalInt(String key) {
        return contains(key) ? OptionalInt.of(getInt(key)) : OptionalInt.empty();
    }

    public OptionalLong optionalLong(String key) {
        return contains(key) ? OptionalLong.of(getLong(key)) : OptionalLong.empty();
    }

    public Optional<Float> optionalFloat(String key) {
        return contains(key) ? Optional.of(getFloat(key)) : Optional.empty();
    }

    public Optional<Boolean> optionalBool(String key) {
        return contains(key) ? Optional.of(getBool(key)) : Optional.empty();
    }

    public Optional<List<String>> optionalStringArray(String key) {
        return contains(key) ? Optional.of(getStringArray(key)) : Optional.empty();
    }

    private GgufValue typed(String key, String expected, GgufValue value, GgufValueType type) {
        if (value.type() != type) {
            throw wrongType(key, expected, value);
        }
        return value;
    }

    private GgufMetadataException wrongType(String key, String expected, GgufValue value) {
        return new GgufMetadataException(
                key,
                "metadata key " + key + " has type " + value.type() + " (value " + value.render() + "), expected "
                        + expected + where());
    }

    private String where() {
        return source == null ? "" : " [file " + source + "]";
    }

    @Override
    public String toString() {
        return "GgufMetadata" + entries.keySet();
    }
}
