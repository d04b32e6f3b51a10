package dev.tanrenai.datasets.store;

import java.util.List;

/**
 * Versioned schema of the conversation store (component {@code conversations}). Portable SQL: the
 * same statements run on SQLite and PostgreSQL. Timestamps are ISO-8601 UTC text.
 */
final class ConversationSchema {
    static final String COMPONENT = "conversations";

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "conversations, messages, feedback and the change sequence",
            List.of(
                    "CREATE TABLE store_sequence (name VARCHAR(32) PRIMARY KEY, value BIGINT NOT NULL)",
                    "INSERT INTO store_sequence (name, value) VALUES ('main', 0)",
                    "CREATE TABLE conversations ("
                            + "id VARCHAR(200) PRIMARY KEY, source TEXT NOT NULL, created_at VARCHAR(40) NOT NULL, "
                            + "updated_at VARCHAR(40) NOT NULL, metadata_json TEXT NOT NULL, "
                            + "message_count INTEGER NOT NULL, last_seq BIGINT NOT NULL)",
                    "CREATE UNIQUE INDEX conversations_last_seq ON conversations (last_seq)",
                    "CREATE TABLE messages ("
                            + "conversation_id VARCHAR(200) NOT NULL REFERENCES conversations (id), "
                            + "idx INTEGER NOT NULL, role VARCHAR(16) NOT NULL, content TEXT NOT NULL, "
                            + "tool_calls_json TEXT, tool_call_id TEXT, name TEXT, produced_by TEXT, "
                            + "created_at VARCHAR(40) NOT NULL, seq BIGINT NOT NULL, "
                            + "PRIMARY KEY (conversation_id, idx))",
                    "CREATE INDEX messages_seq ON messages (seq)",
                    "CREATE TABLE feedback ("
                            + "seq BIGINT PRIMARY KEY, conversation_id VARCHAR(200) NOT NULL REFERENCES conversations (id), "
                            + "message_idx INTEGER, score DOUBLE PRECISION NOT NULL, comment TEXT, "
                            + "created_at VARCHAR(40) NOT NULL)",
                    "CREATE INDEX feedback_conversation ON feedback (conversation_id)")));

    private ConversationSchema() {}
}
