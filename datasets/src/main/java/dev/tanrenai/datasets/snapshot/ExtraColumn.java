package dev.tanrenai.datasets.snapshot;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A flat, nullable column that a later stage adds next to the core conversation columns (for
 * example {@code split} or {@code quality_score}).
 *
 * @param name lower-case snake-case column name, distinct from every core column
 * @param type the value type
 */
public record ExtraColumn(String name, Type type) implements java.io.Serializable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Supported value types and the Java value each maps to. */
    public enum Type {
        /** Arrow utf8, Java {@link String}. */
        UTF8,
        /** Arrow float64, Java {@link Double}. */
        FLOAT64,
        /** Arrow int64, Java {@link Long}. */
        INT64,
        /** Arrow bool, Java {@link Boolean}. */
        BOOL
    }

    public ExtraColumn {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "extra column name '" + name + "' must match " + NAME.pattern() + " (lower-case snake case)");
        }
        if (ConversationArrowSchema.CORE_COLUMNS.contains(name)) {
            throw new IllegalArgumentException("extra column name '" + name + "' clashes with a core column");
        }
        Objects.requireNonNull(type, "extra column '" + name + "': type must not be null");
    }

    public static ExtraColumn utf8(String name) {
        return new ExtraColumn(name, Type.UTF8);
    }

    public static ExtraColumn float64(String name) {
        return new ExtraColumn(name, Type.FLOAT64);
    }

    public static ExtraColumn int64(String name) {
        return new ExtraColumn(name, Type.INT64);
    }

    public static ExtraColumn bool(String name) {
        return new ExtraColumn(name, Type.BOOL);
    }

    /**
     * Checks that {@code value} fits this column and returns it in its canonical Java type (null stays
     * null).
     *
     * @throws IllegalArgumentException naming the column and the offending value's type
     */
    public Object canonicalValue(Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case UTF8 -> {
                if (value instanceof String s) {
                    yield s;
                }
                throw mismatch(value);
            }
            case FLOAT64 -> {
                if (value instanceof Double || value instanceof Float) {
                    yield ((Number) value).doubleValue();
                }
                throw mismatch(value);
            }
            case INT64 -> {
                if (value instanceof Long
                        || value instanceof Integer
                        || value instanceof Short
                        || value instanceof Byte) {
                    yield ((Number) value).longValue();
                }
                throw mismatch(value);
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw mismatch(value);
            }
        };
    }

    private IllegalArgumentException mismatch(Object value) {
        return new IllegalArgumentException("extra column '" + name + "' has type " + type + " but got a "
                + value.getClass().getSimpleName() + " value");
    }
}
