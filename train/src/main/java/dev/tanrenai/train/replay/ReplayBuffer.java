package dev.tanrenai.train.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.ConversationFormatException;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.Migration;
import dev.tanrenai.datasets.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The persistent replay buffer against forgetting: a seeded reservoir sample of every conversation
 * the model was ever trained on, kept in the store database (component {@code replay}). Training
 * mixes a share of it into every run; {@link #offer} is called only after a run succeeded, in one
 * transaction, so a failed run never changes it.
 */
public final class ReplayBuffer {

    static final String COMPONENT = "replay";
    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "replay buffer slots and the count of conversations offered",
            List.of(
                    "CREATE TABLE replay_slots (slot INTEGER PRIMARY KEY, conversation_id VARCHAR(200) NOT NULL, "
                            + "source TEXT NOT NULL, created_at VARCHAR(40) NOT NULL, record_json TEXT NOT NULL, "
                            + "added_by_run VARCHAR(200) NOT NULL, added_at VARCHAR(40) NOT NULL)",
                    "CREATE TABLE replay_state (name VARCHAR(32) PRIMARY KEY, seen BIGINT NOT NULL, "
                            + "capacity INTEGER NOT NULL, seed BIGINT NOT NULL)")));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final int capacity;
    private final long seed;

    /**
     * Opens (creating if needed) the buffer. Capacity and seed are fixed when it is created; opening
     * it later with others is an error, since that would silently change its sampling.
     */
    public ReplayBuffer(Database db, int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay capacity must be >= 1, got " + capacity);
        }
        this.db = db;
        this.capacity = capacity;
        this.seed = seed;
        db.migrate(COMPONENT, MIGRATIONS);
        db.write("open the replay buffer", c -> {
            try (PreparedStatement p =
                            c.prepareStatement("SELECT capacity, seed FROM replay_state WHERE name = 'main'");
                    ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    if (r.getInt(1) != capacity || r.getLong(2) != seed) {
                        throw new StoreException("the replay buffer was created with capacity " + r.getInt(1)
                                + " and seed " + r.getLong(2) + "; opening it with " + capacity + "/" + seed
                                + " would change its sampling");
                    }
                    return null;
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO replay_state (name, seen, capacity, seed) VALUES ('main', 0, ?, ?)")) {
                p.setInt(1, capacity);
                p.setLong(2, seed);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The buffer as it was created, for readers that do not create one (evaluation); empty when none exists. */
    public static java.util.Optional<ReplayBuffer> existing(Database db) {
        db.migrate(COMPONENT, MIGRATIONS);
        long[] state = db.read("read the replay buffer's settings", c -> {
            try (PreparedStatement p =
                            c.prepareStatement("SELECT capacity, seed FROM replay_state WHERE name = 'main'");
                    ResultSet r = p.executeQuery()) {
                return r.next() ? new long[] {r.getInt(1), r.getLong(2)} : null;
            }
        });
        return state == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(new ReplayBuffer(db, (int) state[0], state[1]));
    }

    /**
     * Offers the conversations a successful run trained on, in order, in one transaction.
     *
     * @return how many of them the buffer kept
     */
    public int offer(List<Conversation> trainedOn, String runId) {
        return db.write("update the replay buffer after run " + runId, c -> offer(c, trainedOn, runId));
    }

    /**
     * Offers {@code trainedOn} inside the caller's write transaction {@code c}, so the offer commits
     * (or not) together with the caller's own rows: the nightly loop records a promoted batch as
     * learned in the same transaction, and a crash never offers a batch twice.
     *
     * @return how many of them the buffer kept
     */
    public int offer(java.sql.Connection c, List<Conversation> trainedOn, String runId) throws SQLException {
        {
            long seen = seen(c);
            int kept = 0;
            String now = Instant.now().toString();
            for (Conversation conversation : trainedOn) {
                seen++;
                int slot = Reservoir.slotFor(seen, capacity, seed);
                if (slot < 0) {
                    continue;
                }
                kept++;
                try (PreparedStatement d = c.prepareStatement("DELETE FROM replay_slots WHERE slot = ?")) {
                    d.setInt(1, slot);
                    d.executeUpdate();
                }
                try (PreparedStatement p =
                        c.prepareStatement("INSERT INTO replay_slots (slot, conversation_id, source, "
                                + "created_at, record_json, added_by_run, added_at) VALUES (?,?,?,?,?,?,?)")) {
                    p.setInt(1, slot);
                    p.setString(2, conversation.id());
                    p.setString(3, conversation.source());
                    p.setString(4, conversation.createdAt().toString());
                    p.setString(5, OpenAiChatCodec.write(conversation).toString());
                    p.setString(6, runId);
                    p.setString(7, now);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE replay_state SET seen = ? WHERE name = 'main'")) {
                p.setLong(1, seen);
                p.executeUpdate();
            }
            return kept;
        }
    }

    /** Every conversation in the buffer, by slot. */
    public List<Conversation> contents() {
        return db.read("read the replay buffer", c -> {
            List<Conversation> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                            "SELECT slot, source, created_at, record_json FROM replay_slots ORDER BY slot");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(parse(r.getInt(1), r.getString(2), Instant.parse(r.getString(3)), r.getString(4)));
                }
            }
            return out;
        });
    }

    /**
     * The conversations earlier runs put in the buffer: every slot except those {@code runId} filled, so
     * an evaluation of that run's adapter asks whether it still fits what earlier nights taught.
     */
    public List<Conversation> contentsNotAddedBy(String runId) {
        return db.read("read the replay buffer without run " + runId, c -> {
            List<Conversation> out = new ArrayList<>();
            try (PreparedStatement p =
                    c.prepareStatement("SELECT slot, source, created_at, record_json FROM replay_slots"
                            + " WHERE added_by_run <> ? ORDER BY slot")) {
                p.setString(1, runId == null ? "" : runId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(parse(r.getInt(1), r.getString(2), Instant.parse(r.getString(3)), r.getString(4)));
                    }
                }
            }
            return out;
        });
    }

    /** How many conversations were ever offered. */
    public long seen() {
        return db.read("read the replay buffer's count", ReplayBuffer::seen);
    }

    public int capacity() {
        return capacity;
    }

    private static long seen(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT seen FROM replay_state WHERE name = 'main'");
                ResultSet r = p.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static Conversation parse(int slot, String source, Instant createdAt, String json) {
        try {
            return new OpenAiChatCodec(Integer.MAX_VALUE).read(JSON.readTree(json), source, createdAt);
        } catch (JsonProcessingException | ConversationFormatException e) {
            throw new StoreException("replay slot " + slot + " holds an unreadable conversation: " + e.getMessage(), e);
        }
    }
}
