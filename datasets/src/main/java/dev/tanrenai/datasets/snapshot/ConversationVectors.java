package dev.tanrenai.datasets.snapshot;

import static dev.tanrenai.datasets.snapshot.ConversationArrowSchema.*;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Moves batches of {@link ConversationRow}s into and out of a {@link VectorSchemaRoot} that has the
 * {@link ConversationArrowSchema} (by direct vector population, so the round trip is exact: null
 * and empty strings stay apart, unicode is kept as UTF-8, timestamps at microsecond precision).
 */
public final class ConversationVectors {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private ConversationVectors() {}

    /**
     * Replaces the contents of {@code root} with {@code rows}. The buffers are reallocated (zeroed)
     * first, so the bytes a writer then unloads depend only on the rows.
     *
     * @throws IllegalArgumentException naming the conversation and field when a value cannot be stored
     *     (a timestamp with sub-microsecond digits, an extra value of the wrong type or undeclared)
     */
    public static void fill(VectorSchemaRoot root, List<ConversationRow> rows) {
        List<ExtraColumn> extras = ConversationArrowSchema.extraColumnsOf(root.getSchema(), "vector root");
        root.allocateNew();
        Columns c = new Columns(root);
        int entryIndex = 0;
        int messageIndex = 0;
        int callIndex = 0;
        for (int row = 0; row < rows.size(); row++) {
            Conversation conversation = rows.get(row).conversation();
            String id = conversation.id();
            c.id.setSafe(row, utf8(id));
            c.source.setSafe(row, utf8(conversation.source()));
            c.createdAt.setSafe(row, toMicros(conversation.createdAt(), id, "createdAt"));
            c.updatedAt.setSafe(row, toMicros(conversation.updatedAt(), id, "updatedAt"));

            c.metadata.startNewValue(row);
            for (Map.Entry<String, String> entry : conversation.metadata().entrySet()) {
                c.entries.setIndexDefined(entryIndex);
                c.key.setSafe(entryIndex, utf8(entry.getKey()));
                setNullable(c.value, entryIndex, entry.getValue());
                entryIndex++;
            }
            c.metadata.endValue(row, conversation.metadata().size());

            c.messages.startNewValue(row);
            for (Message message : conversation.messages()) {
                c.message.setIndexDefined(messageIndex);
                c.role.setSafe(messageIndex, utf8(message.role().wireName()));
                c.content.setSafe(messageIndex, utf8(message.content()));
                setNullable(c.name, messageIndex, message.name());
                setNullable(c.toolCallId, messageIndex, message.toolCallId());
                setNullable(c.producedBy, messageIndex, message.producedBy());
                c.toolCalls.startNewValue(messageIndex);
                for (ToolCall call : message.toolCalls()) {
                    c.toolCall.setIndexDefined(callIndex);
                    c.callId.setSafe(callIndex, utf8(call.id()));
                    c.callName.setSafe(callIndex, utf8(call.name()));
                    c.callArguments.setSafe(callIndex, utf8(call.argumentsJson()));
                    callIndex++;
                }
                c.toolCalls.endValue(messageIndex, message.toolCalls().size());
                messageIndex++;
            }
            c.messages.endValue(row, conversation.messages().size());

            ExtraColumnVectors.set(root, extras, row, id, rows.get(row).extras());
        }
        // Propagates value counts down to every nested child vector.
        root.setRowCount(rows.size());
    }

    /**
     * Reads every row of {@code root} back.
     *
     * @throws IllegalArgumentException naming the row when a stored value is not a valid conversation
     */
    public static List<ConversationRow> read(VectorSchemaRoot root) {
        List<ExtraColumn> extras = ConversationArrowSchema.extraColumnsOf(root.getSchema(), "vector root");
        Columns c = new Columns(root);
        List<ConversationRow> rows = new ArrayList<>(root.getRowCount());
        for (int row = 0; row < root.getRowCount(); row++) {
            try {
                rows.add(new ConversationRow(readConversation(c, row), ExtraColumnVectors.get(root, extras, row)));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("row " + row + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    private static Conversation readConversation(Columns c, int row) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int e = c.metadata.getElementStartIndex(row); e < c.metadata.getElementEndIndex(row); e++) {
            metadata.put(text(c.key, e), nullableText(c.value, e));
        }
        List<Message> messages = new ArrayList<>();
        for (int m = c.messages.getElementStartIndex(row); m < c.messages.getElementEndIndex(row); m++) {
            List<ToolCall> calls = new ArrayList<>();
            for (int t = c.toolCalls.getElementStartIndex(m); t < c.toolCalls.getElementEndIndex(m); t++) {
                calls.add(new ToolCall(text(c.callId, t), text(c.callName, t), text(c.callArguments, t)));
            }
            messages.add(new Message(
                    Role.fromWireName(text(c.role, m)),
                    text(c.content, m),
                    calls,
                    nullableText(c.toolCallId, m),
                    nullableText(c.name, m),
                    nullableText(c.producedBy, m)));
        }
        return new Conversation(
                text(c.id, row),
                text(c.source, row),
                fromMicros(c.createdAt.get(row)),
                fromMicros(c.updatedAt.get(row)),
                messages,
                metadata);
    }

    /** Epoch microseconds of {@code instant}; refuses to drop sub-microsecond digits silently. */
    static long toMicros(Instant instant, String conversationId, String field) {
        if (instant.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("conversation " + conversationId + ": " + field + " " + instant
                    + " has sub-microsecond digits; the dataset stores microseconds");
        }
        try {
            return Math.addExact(
                    Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1_000);
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException(
                    "conversation " + conversationId + ": " + field + " " + instant
                            + " does not fit the dataset's microsecond timestamps (about years -290,000 .. 294,000)",
                    overflow);
        }
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void setNullable(VarCharVector vector, int index, String value) {
        if (value == null) {
            vector.setNull(index);
        } else {
            vector.setSafe(index, utf8(value));
        }
    }

    private static String text(VarCharVector vector, int index) {
        if (vector.isNull(index)) {
            throw new IllegalArgumentException(
                    "column " + vector.getName() + " is null at index " + index + " but must not be");
        }
        return new String(vector.get(index), StandardCharsets.UTF_8);
    }

    private static String nullableText(VarCharVector vector, int index) {
        return vector.isNull(index) ? null : new String(vector.get(index), StandardCharsets.UTF_8);
    }

    /** The typed vectors of the core columns, nested ones included. */
    private static final class Columns {
        final VarCharVector id;
        final VarCharVector source;
        final TimeStampMicroTZVector createdAt;
        final TimeStampMicroTZVector updatedAt;
        final MapVector metadata;
        final StructVector entries;
        final VarCharVector key;
        final VarCharVector value;
        final ListVector messages;
        final StructVector message;
        final VarCharVector role;
        final VarCharVector content;
        final VarCharVector name;
        final VarCharVector toolCallId;
        final VarCharVector producedBy;
        final ListVector toolCalls;
        final StructVector toolCall;
        final VarCharVector callId;
        final VarCharVector callName;
        final VarCharVector callArguments;

        Columns(VectorSchemaRoot root) {
            id = (VarCharVector) root.getVector(ID);
            source = (VarCharVector) root.getVector(SOURCE);
            createdAt = (TimeStampMicroTZVector) root.getVector(CREATED_AT);
            updatedAt = (TimeStampMicroTZVector) root.getVector(UPDATED_AT);
            metadata = (MapVector) root.getVector(METADATA);
            entries = (StructVector) metadata.getDataVector();
            key = entries.getChild("key", VarCharVector.class);
            value = entries.getChild("value", VarCharVector.class);
            messages = (ListVector) root.getVector(MESSAGES);
            message = (StructVector) messages.getDataVector();
            role = message.getChild(ROLE, VarCharVector.class);
            content = message.getChild(CONTENT, VarCharVector.class);
            name = message.getChild(NAME, VarCharVector.class);
            toolCallId = message.getChild(TOOL_CALL_ID, VarCharVector.class);
            producedBy = message.getChild(PRODUCED_BY, VarCharVector.class);
            toolCalls = message.getChild(TOOL_CALLS, ListVector.class);
            toolCall = (StructVector) toolCalls.getDataVector();
            callId = toolCall.getChild(ID, VarCharVector.class);
            callName = toolCall.getChild(NAME, VarCharVector.class);
            callArguments = toolCall.getChild(ARGUMENTS, VarCharVector.class);
        }
    }
}
