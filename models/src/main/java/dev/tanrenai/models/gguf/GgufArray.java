package dev.tanrenai.models.gguf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A GGUF metadata array: one element type and the elements, each represented as in {@link
 * GgufValue} (nested arrays are {@code GgufArray} elements).
 */
public record GgufArray(GgufValueType elementType, List<Object> elements) {

    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        elements = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(elements, "elements")));
        for (int i = 0; i < elements.size(); i++) {
            Object element = elements.get(i);
            if (element == null) {
                throw new IllegalArgumentException("GGUF array element " + i + " is null");
            }
            try {
                GgufValue.checkElement(elementType, element);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("GGUF array element " + i + ": " + e.getMessage(), e);
            }
        }
    }

    public int size() {
        return elements.size();
    }

    public static GgufArray ofStrings(List<String> values) {
        return new GgufArray(GgufValueType.STRING, new ArrayList<>(values));
    }

    public static GgufArray ofFloat32(float[] values) {
        List<Object> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return new GgufArray(GgufValueType.FLOAT32, list);
    }

    public static GgufArray ofInt32(int[] values) {
        List<Object> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add((long) v);
        }
        return new GgufArray(GgufValueType.INT32, list);
    }

    /** Elements as strings (element type must be STRING). */
    public List<String> asStrings() {
        requireType(GgufValueType.STRING);
        List<String> out = new ArrayList<>(elements.size());
        for (Object o : elements) {
            out.add((String) o);
        }
        return out;
    }

    /** Elements as floats (element type FLOAT32 or FLOAT64). */
    public float[] asFloats() {
        if (elementType != GgufValueType.FLOAT32 && elementType != GgufValueType.FLOAT64) {
            throw new IllegalStateException("array of " + elementType + " is not an array of floats");
        }
        float[] out = new float[elements.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) elements.get(i)).floatValue();
        }
        return out;
    }

    /** Elements as ints (an integer element type whose values all fit an int). */
    public int[] asInts() {
        if (!elementType.isInteger()) {
            throw new IllegalStateException("array of " + elementType + " is not an array of integers");
        }
        int[] out = new int[elements.size()];
        for (int i = 0; i < out.length; i++) {
            long v = (Long) elements.get(i);
            if (v != (int) v || (elementType == GgufValueType.UINT64 && v < 0)) {
                throw new IllegalStateException("array element " + i + " = " + v + " does not fit an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private void requireType(GgufValueType type) {
        if (elementType != type) {
            throw new IllegalStateException("array of " + elementType + " is not an array of " + type);
        }
    }

    /** Abbreviated rendering: type, length and the first few elements. */
    public String render() {
        StringBuilder sb =
                new StringBuilder("[").append(elementType).append(" x ").append(elements.size());
        int shown = Math.min(4, elements.size());
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? ": " : ", ");
            Object o = elements.get(i);
            sb.append(
                    o instanceof GgufArray a ? a.render() : o instanceof String s ? '"' + s + '"' : String.valueOf(o));
        }
        if (shown < elements.size()) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
