package dev.tanrenai.datasets.store;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read side of {@link ConversationStore}: incremental reads, lookups and statistics. */
final class StoreQueries {

    /** The most conversations one {@code readSince} call returns, whatever the caller asks. */
    static final int MAX_BATCH = 10_000;

    private final Database db;

    StoreQueries(Database db) {
        this.db = db;
    }

    ChangeBatch readSince(long watermark, int limit) {
        return readRange(watermark, Long.MAX_VALUE, limit);
    }

    ChangeBatch readRange(long watermark, long upTo, int limit) {
        if (upTo < watermark) {
            throw new IllegalArgumentException("upTo " + upTo + " is below the watermark " + watermark);
        }
        if (watermark < 0) {
            throw new IllegalArgumentException("watermark must be >= 0, got " + watermark);
        }
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_BATCH + "], got " + limit);
        }
        return db.read("read conversations changed after " + watermark, c -> {
            // Both queries run in one read transaction, so they see the same snapshot.
            long upper = watermark;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT MAX(last_seq) FROM (SELECT last_seq FROM conversations WHERE last_seq > ? "
                            + "AND last_seq <= ? ORDER BY last_seq LIMIT ?) page")) {
                p.setLong(1, watermark);
                p.setLong(2, upTo);
                p.setInt(3, limit);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next() && r.getObject(1) != null) {
                        upper = r.getLong(1);
                    }
                }
            }
            if (upper == watermark) {
                return new ChangeBatch(List.of(), watermark);
            }
            List<StoredConversation> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT c.id, c.source, c.created_at, c.updated_at, "
                    + "c.metadata_json, c.last_seq, m." + MessageRows.COLUMNS.replace(", ", ", m.")
                    + " FROM conversations c JOIN messages m ON m.conversation_id = c.id "
                    + "WHERE c.last_seq > ? AND c.last_seq <= ? ORDER BY c.last_seq, m.idx")) {
                p.setLong(1, watermark);
                p.setLong(2, upper);
                try (ResultSet r = p.executeQuery()) {
                    String currentId = null;
                    ConversationHead head = null;
                    List<Message> messages = new ArrayList<>();
                    while (r.next()) {
                        String id = r.getString(1);
                        if (!id.equals(currentId)) {
                            if (head != null) {
                                out.add(head.build(messages));
                            }
                            currentId = id;
                            head = ConversationHead.read(r);
                            messages = new ArrayList<>();
                        }
                        messages.add(MessageRows.read(r, 7, id));
                    }
                    if (head != null) {
                        out.add(head.build(messages));
                    }
                }
            }
            return new ChangeBatch(out, upper);
        });
    }

    List<StoredFeedback> feedbackSince(long watermark, int limit) {
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_BATCH + "], got " + limit);
        }
        return db.read("read feedback after " + watermark, c -> {
            List<StoredFeedback> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT seq, conversation_id, message_idx, score, comment, "
                    + "created_at FROM feedback WHERE seq > ? ORDER BY seq LIMIT ?")) {
                p.setLong(1, watermark);
                p.setInt(2, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        int index = r.getInt(3);
                        Integer messageIndex = r.wasNull() ? null : index;
                        Feedback f = new Feedback(
                                r.getString(2),
                                messageIndex,
                                r.getDouble(4),
                                r.getString(5),
                                Instant.parse(r.getString(6)));
                        out.add(new StoredFeedback(f, r.getLong(1)));
                    }
                }
            }
            return out;
        });
    }

    StoreStats stats() {
        return db.read("read store statistics", c -> {
            long conversations = count(c, "SELECT COUNT(*) FROM conversations");
            long messages = count(c, "SELECT COUNT(*) FROM messages");
            long feedback = count(c, "SELECT COUNT(*) FROM feedback");
            long last = count(c, "SELECT value FROM store_sequence WHERE name = 'main'");
            Map<String, Long> byRole = grouped(c, "SELECT role, COUNT(*) FROM messages GROUP BY role");
            Map<String, Long> bySource = grouped(c, "SELECT source, COUNT(*) FROM conversations GROUP BY source");
            int version;
            try (PreparedStatement p =
                    c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?")) {
                p.setString(1, ConversationSchema.COMPONENT);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    version = r.getInt(1);
                }
            }
            return new StoreStats(conversations, messages, byRole, feedback, bySource, last, version, databaseBytes());
        });
    }

    /** Loads one conversation inside an open transaction. */
    static Optional<Conversation> load(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, source, created_at, updated_at, metadata_json, "
                + "last_seq FROM conversations WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        ConversationHead.read(r).build(messages(c, id)).conversation());
            }
        }
    }

    /** The stored messages of one conversation in order, inside an open transaction. */
    static List<Message> messages(Connection c, String id) throws SQLException {
        List<Message> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + MessageRows.COLUMNS + " FROM messages WHERE conversation_id = ? ORDER BY idx")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(MessageRows.read(r, 1, id));
                }
            }
        }
        return out;
    }

    private long databaseBytes() {
        if (!db.isSqlite()) {
            return -1;
        }
        Path file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length()));
        long total = 0;
        for (Path p : new Path[] {file, Path.of(file + "-wal")}) {
            try {
                total += Files.exists(p) ? Files.size(p) : 0;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + p, e);
            }
        }
        return total;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql);
                ResultSet r = p.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static Map<String, Long> grouped(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement(sql);
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    /** The conversation columns of a row (id, source, created_at, updated_at, metadata_json, last_seq). */
    private record ConversationHead(
            String id,
            String source,
            Instant createdAt,
            Instant updatedAt,
            Map<String, String> metadata,
            long lastSeq) {
        static ConversationHead read(ResultSet r) throws SQLException {
            String id = r.getString(1);
            return new ConversationHead(
                    id,
                    r.getString(2),
                    Instant.parse(r.getString(3)),
                    Instant.parse(r.getString(4)),
                    MessageRows.parseMetadata(r.getString(5), id),
                    r.getLong(6));
        }

        StoredConversation build(List<Message> messages) {
            return new StoredConversation(
                    new Conversation(id, source, createdAt, updatedAt, messages, metadata), lastSeq);
        }
    }
}
