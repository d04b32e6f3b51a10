package dev.tanrenai.datasets.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow schema of the conversation dataset, version {@value #SCHEMA_VERSION}: one row per
 * conversation, with nested messages and tool calls, followed by optional flat {@link ExtraColumn}s.
 *
 * <pre>
 * id          utf8 not null
 * source      utf8 not null
 * created_at  timestamp[us, UTC] not null
 * updated_at  timestamp[us, UTC] not null
 * metadata    map&lt;utf8, utf8&gt; not null (keys sorted)
 * messages    list&lt;struct&lt;role utf8, content utf8, name utf8?, tool_call_id utf8?, produced_by utf8?,
 *                         tool_calls list&lt;struct&lt;id utf8, name utf8, arguments utf8&gt;&gt;&gt;&gt; not null
 * (extra columns, nullable)
 * </pre>
 *
 * The version is stored in the schema's custom metadata under {@value #VERSION_KEY}.
 */
public final class ConversationArrowSchema {

    public static final int SCHEMA_VERSION = 1;
    public static final String VERSION_KEY = "tanrenai.schema_version";

    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String METADATA = "metadata";
    public static final String MESSAGES = "messages";
    public static final String MESSAGE = "message";
    public static final String ROLE = "role";
    public static final String CONTENT = "content";
    public static final String NAME = "name";
    public static final String TOOL_CALL_ID = "tool_call_id";
    public static final String PRODUCED_BY = "produced_by";
    public static final String TOOL_CALLS = "tool_calls";
    public static final String TOOL_CALL = "tool_call";
    public static final String ARGUMENTS = "arguments";

    /** Names of the core columns, in schema order. */
    public static final List<String> CORE_COLUMNS = List.of(ID, SOURCE, CREATED_AT, UPDATED_AT, METADATA, MESSAGES);

    private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
    private static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    private static final List<Field> CORE_FIELDS = coreFields();

    private ConversationArrowSchema() {}

    /** The schema with the given extra columns appended in the given order. */
    public static Schema schema(List<ExtraColumn> extraColumns) {
        List<Field> fields = new ArrayList<>(CORE_FIELDS);
        Set<String> seen = new java.util.HashSet<>();
        for (ExtraColumn column : extraColumns) {
            if (!seen.add(column.name())) {
                throw new IllegalArgumentException("extra column '" + column.name() + "' is declared twice");
            }
            fields.add(extraField(column));
        }
        // A single metadata entry: its serialised order cannot vary between runs.
        return new Schema(fields, Map.of(VERSION_KEY, Integer.toString(SCHEMA_VERSION)));
    }

    /**
     * Validates a schema read from a file against this version and returns its extra columns.
     *
     * @param where the file the schema came from, for the error message
     * @throws SnapshotCorruptedException naming the file and the offending field
     */
    public static List<ExtraColumn> extraColumnsOf(Schema schema, String where) {
        String version = schema.getCustomMetadata().get(VERSION_KEY);
        if (!Integer.toString(SCHEMA_VERSION).equals(version)) {
            throw new SnapshotCorruptedException(where + ": schema metadata " + VERSION_KEY + " is '" + version
                    + "', expected '" + SCHEMA_VERSION + "'");
        }
        List<Field> fields = schema.getFields();
        if (fields.size() < CORE_FIELDS.size()) {
            throw new SnapshotCorruptedException(where + ": schema has " + fields.size()
                    + " columns, expected at least " + CORE_FIELDS.size() + " core columns " + CORE_COLUMNS);
        }
        for (int i = 0; i < CORE_FIELDS.size(); i++) {
            if (!CORE_FIELDS.get(i).equals(fields.get(i))) {
                throw new SnapshotCorruptedException(
                        where + ": column " + i + " is " + fields.get(i) + ", expected " + CORE_FIELDS.get(i));
            }
        }
        List<ExtraColumn> extras = new ArrayList<>();
        for (Field field : fields.subList(CORE_FIELDS.size(), fields.size())) {
            ExtraColumn column;
            try {
                column = new ExtraColumn(field.getName(), extraTypeOf(field.getType()));
            } catch (IllegalArgumentException e) {
                throw new SnapshotCorruptedException(
                        where + ": extra column '" + field.getName() + "': " + e.getMessage(), e);
            }
            if (!extraField(column).equals(field)) {
                throw new SnapshotCorruptedException(
                        where + ": extra column " + field + " is not a nullable flat column " + column.type());
            }
            extras.add(column);
        }
        return List.copyOf(extras);
    }

    static Field extraField(ExtraColumn column) {
        ArrowType type =
                switch (column.type()) {
                    case UTF8 -> UTF8;
                    case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                    case INT64 -> new ArrowType.Int(64, true);
                    case BOOL -> ArrowType.Bool.INSTANCE;
                };
        return new Field(column.name(), FieldType.nullable(type), null);
    }

    private static ExtraColumn.Type extraTypeOf(ArrowType type) {
        if (type instanceof ArrowType.Utf8) {
            return ExtraColumn.Type.UTF8;
        }
        if (type instanceof ArrowType.FloatingPoint fp && fp.getPrecision() == FloatingPointPrecision.DOUBLE) {
            return ExtraColumn.Type.FLOAT64;
        }
        if (type instanceof ArrowType.Int i && i.getBitWidth() == 64 && i.getIsSigned()) {
            return ExtraColumn.Type.INT64;
        }
        if (type instanceof ArrowType.Bool) {
            return ExtraColumn.Type.BOOL;
        }
        throw new IllegalArgumentException("unsupported type " + type + " (expected utf8, float64, int64 or bool)");
    }

    private static List<Field> coreFields() {
        Field toolCall = notNull(
                TOOL_CALL,
                ArrowType.Struct.INSTANCE,
                List.of(notNull(ID, UTF8), notNull(NAME, UTF8), notNull(ARGUMENTS, UTF8)));
        Field message = notNull(
                MESSAGE,
                ArrowType.Struct.INSTANCE,
                List.of(
                        notNull(ROLE, UTF8),
                        notNull(CONTENT, UTF8),
                        nullable(NAME),
                        nullable(TOOL_CALL_ID),
                        nullable(PRODUCED_BY),
                        notNull(TOOL_CALLS, ArrowType.List.INSTANCE, List.of(toolCall))));
        Field entries = notNull("entries", ArrowType.Struct.INSTANCE, List.of(notNull("key", UTF8), nullable("value")));
        return List.of(
                notNull(ID, UTF8),
                notNull(SOURCE, UTF8),
                notNull(CREATED_AT, TIMESTAMP),
                notNull(UPDATED_AT, TIMESTAMP),
                notNull(METADATA, new ArrowType.Map(true), List.of(entries)),
                notNull(MESSAGES, ArrowType.List.INSTANCE, List.of(message)));
    }

    private static Field notNull(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    private static Field notNull(String name, ArrowType type, List<Field> children) {
        return new Field(name, FieldType.notNullable(type), children);
    }

    private static Field nullable(String name) {
        return new Field(name, FieldType.nullable(UTF8), null);
    }
}
