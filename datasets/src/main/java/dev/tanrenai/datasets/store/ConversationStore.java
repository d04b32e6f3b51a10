package dev.tanrenai.datasets.store;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The conversation store: every conversation served or imported, its turns, and user feedback.
 *
 * <p><b>Incremental reads.</b> Every change (a new conversation, turns appended to one, a feedback
 * entry) takes the next number of one store-wide sequence, allocated inside the write transaction
 * by {@code UPDATE store_sequence SET value = value + n}. That row is locked until commit (the write
 * lock in SQLite, a row lock in PostgreSQL), so changes commit in sequence order: once a reader
 * has seen number {@code k}, no change with a number below {@code k} can appear later. A pipeline
 * that keeps the highest number it processed as its watermark and asks {@link #readSince} for what
 * follows never misses a change and never reads one twice. A conversation that gets new turns
 * reappears with its full new state and a new, higher {@code lastSeq}.
 *
 * <p><b>Concurrency.</b> One writer (the server) and any number of readers (pipelines), in this
 * process or others, work at once: SQLite runs in WAL mode, readers use deferred transactions that
 * never block the writer, and writers serialise on the write lock.
 */
public final class ConversationStore {

    private final Database db;
    private final StoreQueries queries;

    /** Opens the store on {@code db}, creating or upgrading its schema. */
    public ConversationStore(Database db) {
        this.db = db;
        db.migrate(ConversationSchema.COMPONENT, ConversationSchema.MIGRATIONS);
        this.queries = new StoreQueries(db);
    }

    public Database database() {
        return db;
    }

    /**
     * Stores a conversation: new ids are created; for a stored id, the turns beyond the stored ones
     * are appended when the stored turns are a prefix of {@code c}'s, and {@code c}'s metadata keys are
     * merged into the stored ones (new values win); {@code c} being the stored
     * conversation or a prefix of it changes nothing.
     *
     * @throws ConversationConflictException when {@code c}'s history conflicts with the stored one
     *     (naming the first differing message)
     */
    public AppendResult append(Conversation c) {
        return appendAll(List.of(c)).get(0);
    }

    /** Stores several conversations in one transaction (all or nothing); see {@link #append}. */
    public List<AppendResult> appendAll(List<Conversation> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        return db.write(
                "append " + batch.size() + " conversation(s) starting with "
                        + batch.get(0).id(),
                c -> {
                    List<AppendResult> results = new ArrayList<>(batch.size());
                    for (Conversation conversation : batch) {
                        results.add(appendOne(c, conversation));
                    }
                    return results;
                });
    }

    /** Appends turns to a stored conversation, recorded at {@code at}. */
    public AppendResult appendTurns(String conversationId, List<Message> turns, Instant at) {
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("appendTurns needs at least one turn for " + conversationId);
        }
        return db.write("append " + turns.size() + " turn(s) to " + conversationId, c -> {
            Conversation stored = StoreQueries.load(c, conversationId)
                    .orElseThrow(() -> new StoreException("no conversation " + conversationId + " in the store"));
            return appendOne(c, stored.withAppended(turns, at));
        });
    }

    /**
     * Records feedback on a stored conversation or one of its messages.
     *
     * @return the feedback's sequence number
     * @throws StoreException when the conversation or message does not exist
     */
    public long recordFeedback(Feedback f) {
        return db.write("record feedback on " + f.conversationId(), c -> {
            int count = messageCount(c, f.conversationId());
            if (count < 0) {
                throw new StoreException(
                        "feedback names conversation " + f.conversationId() + ", which is not in the store");
            }
            if (f.messageIndex() != null && f.messageIndex() >= count) {
                throw new StoreException("feedback names message " + f.messageIndex() + " of conversation "
                        + f.conversationId() + ", which has only " + count + " messages");
            }
            long seq = nextSequence(c, 1);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO feedback (seq, conversation_id, message_idx, "
                    + "score, comment, created_at) VALUES (?,?,?,?,?,?)")) {
                p.setLong(1, seq);
                p.setString(2, f.conversationId());
                if (f.messageIndex() == null) {
                    p.setNull(3, Types.INTEGER);
                } else {
                    p.setInt(3, f.messageIndex());
                }
                p.setDouble(4, f.score());
                if (f.comment() == null) {
                    p.setNull(5, Types.VARCHAR);
                } else {
                    p.setString(5, f.comment());
                }
                p.setString(6, f.createdAt().toString());
                p.executeUpdate();
            }
            return seq;
        });
    }

    /** The stored conversation with this id. */
    public Optional<Conversation> get(String id) {
        return db.read("read conversation " + id, c -> StoreQueries.load(c, id));
    }

    /**
     * Conversations changed after {@code watermark}, oldest change first, at most {@code limit};
     * continue with {@link ChangeBatch#nextWatermark()}.
     */
    public ChangeBatch readSince(long watermark, int limit) {
        return queries.readSince(watermark, limit);
    }

    /**
     * Like {@link #readSince} but only changes numbered at most {@code upTo}: with {@code upTo} fixed
     * (e.g. {@code stats().lastSequence()} at the start), paging gives one consistent cut of the
     * store in which each conversation appears once; changes after {@code upTo} belong to the next cut.
     */
    public ChangeBatch readRange(long watermark, long upTo, int limit) {
        return queries.readRange(watermark, upTo, limit);
    }

    /** The conversations whose last change is in {@code (watermark, upTo]}, oldest first, read page by page. */
    public Iterator<Conversation> iterate(long watermark, long upTo, int pageSize) {
        return new Iterator<>() {
            private long next = watermark;
            private Iterator<StoredConversation> page = java.util.Collections.emptyIterator();
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !exhausted) {
                    ChangeBatch batch = readRange(next, upTo, pageSize);
                    exhausted = batch.isEmpty();
                    next = batch.nextWatermark();
                    page = batch.conversations().iterator();
                }
                return page.hasNext();
            }

            @Override
            public Conversation next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return page.next().conversation();
            }
        };
    }

    /** Feedback recorded after {@code watermark}, with its sequence numbers, oldest first. */
    public List<StoredFeedback> feedbackSince(long watermark, int limit) {
        return queries.feedbackSince(watermark, limit);
    }

    /** Counts of what the store holds. */
    public StoreStats stats() {
        return queries.stats();
    }

    private AppendResult appendOne(Connection c, Conversation conversation) throws SQLException {
        String id = conversation.id();
        int storedCount = messageCount(c, id);
        if (storedCount < 0) {
            long seq = nextSequence(c, 1);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO conversations (id, source, created_at, "
                    + "updated_at, metadata_json, message_count, last_seq) VALUES (?,?,?,?,?,?,?)")) {
                p.setString(1, id);
                p.setString(2, conversation.source());
                p.setString(3, conversation.createdAt().toString());
                p.setString(4, conversation.updatedAt().toString());
                p.setString(5, MessageRows.metadataJson(conversation.metadata()));
                p.setInt(6, conversation.messages().size());
                p.setLong(7, seq);
                p.executeUpdate();
            }
            insertMessages(c, id, conversation.messages(), 0, conversation.updatedAt(), seq);
            return new AppendResult(
                    id, AppendResult.Outcome.CREATED, conversation.messages().size(), seq);
        }
        List<Message> stored = StoreQueries.messages(c, id);
        List<Message> incoming = conversation.messages();
        int common = Math.min(stored.size(), incoming.size());
        for (int i = 0; i < common; i++) {
            if (!stored.get(i).equals(incoming.get(i))) {
                throw new ConversationConflictException(
                        id,
                        "conversation " + id + " conflicts with the stored one at message " + i
                                + " (stored " + stored.get(i).role().wireName() + " turn differs from the new "
                                + incoming.get(i).role().wireName() + " turn); the store only appends turns");
            }
        }
        if (incoming.size() <= stored.size()) {
            return new AppendResult(id, AppendResult.Outcome.UNCHANGED, 0, 0);
        }
        long seq = nextSequence(c, 1);
        List<Message> added = incoming.subList(stored.size(), incoming.size());
        insertMessages(c, id, added, stored.size(), conversation.updatedAt(), seq);
        java.util.Map<String, String> metadata =
                new java.util.TreeMap<>(StoreQueries.load(c, id).orElseThrow().metadata());
        metadata.putAll(conversation.metadata()); // later turns add (or update) metadata keys
        try (PreparedStatement p = c.prepareStatement("UPDATE conversations SET updated_at = ?, message_count = ?,"
                + " last_seq = ?, metadata_json = ? WHERE id = ?")) {
            p.setString(1, conversation.updatedAt().toString());
            p.setInt(2, incoming.size());
            p.setLong(3, seq);
            p.setString(4, MessageRows.metadataJson(metadata));
            p.setString(5, id);
            p.executeUpdate();
        }
        return new AppendResult(id, AppendResult.Outcome.APPENDED, added.size(), seq);
    }

    private static void insertMessages(
            Connection c, String id, List<Message> messages, int firstIndex, Instant at, long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(MessageRows.INSERT)) {
            for (int i = 0; i < messages.size(); i++) {
                MessageRows.bind(p, id, firstIndex + i, messages.get(i), at, seq);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** The stored message count of a conversation, or -1 when it is not stored. */
    private static int messageCount(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT message_count FROM conversations WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getInt(1) : -1;
            }
        }
    }

    /** Takes {@code n} numbers of the store sequence inside the current write transaction; returns the last. */
    private static long nextSequence(Connection c, int n) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("UPDATE store_sequence SET value = value + ? WHERE name = 'main'")) {
            p.setInt(1, n);
            if (p.executeUpdate() != 1) {
                throw new StoreException("the store's sequence row is missing: the schema is damaged");
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM store_sequence WHERE name = 'main'");
                ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
