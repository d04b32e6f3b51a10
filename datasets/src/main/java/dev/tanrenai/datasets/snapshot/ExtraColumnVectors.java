package dev.tanrenai.datasets.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Writes and reads the flat {@link ExtraColumn} values of one row. */
final class ExtraColumnVectors {

    private ExtraColumnVectors() {}

    /** Sets row {@code index} of every extra column from {@code values} (absent means null). */
    static void set(
            VectorSchemaRoot root,
            List<ExtraColumn> columns,
            int index,
            String conversationId,
            Map<String, Object> values) {
        if (!values.isEmpty()) {
            Set<String> declared = columns.stream().map(ExtraColumn::name).collect(Collectors.toSet());
            for (String name : values.keySet()) {
                if (!declared.contains(name)) {
                    throw new IllegalArgumentException("conversation " + conversationId
                            + " has a value for undeclared extra column '" + name + "' (declared: " + declared + ")");
                }
            }
        }
        for (ExtraColumn column : columns) {
            Object value;
            try {
                value = column.canonicalValue(values.get(column.name()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("conversation " + conversationId + ": " + e.getMessage(), e);
            }
            FieldVector vector = root.getVector(column.name());
            // Null slots keep the zeroes of a freshly allocated buffer, so the bytes written are stable.
            switch (column.type()) {
                case UTF8 -> {
                    VarCharVector v = (VarCharVector) vector;
                    if (value == null) {
                        v.setNull(index);
                    } else {
                        v.setSafe(index, ((String) value).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case FLOAT64 -> {
                    Float8Vector v = (Float8Vector) vector;
                    if (value == null) {
                        v.setNull(index);
                    } else {
                        v.setSafe(index, (Double) value);
                    }
                }
                case INT64 -> {
                    BigIntVector v = (BigIntVector) vector;
                    if (value == null) {
                        v.setNull(index);
                    } else {
                        v.setSafe(index, (Long) value);
                    }
                }
                case BOOL -> {
                    BitVector v = (BitVector) vector;
                    if (value == null) {
                        v.setNull(index);
                    } else {
                        v.setSafe(index, ((Boolean) value) ? 1 : 0);
                    }
                }
            }
        }
    }

    /** The non-null extra values of row {@code index}, sorted by column name. */
    static Map<String, Object> get(VectorSchemaRoot root, List<ExtraColumn> columns, int index) {
        Map<String, Object> values = new TreeMap<>();
        for (ExtraColumn column : columns) {
            FieldVector vector = root.getVector(column.name());
            if (vector.isNull(index)) {
                continue;
            }
            Object value =
                    switch (column.type()) {
                        case UTF8 -> new String(((VarCharVector) vector).get(index), StandardCharsets.UTF_8);
                        case FLOAT64 -> ((Float8Vector) vector).get(index);
                        case INT64 -> ((BigIntVector) vector).get(index);
                        case BOOL -> ((BitVector) vector).get(index) != 0;
                    };
            values.put(column.name(), value);
        }
        return values;
    }
}
