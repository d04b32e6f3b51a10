package dev.tanrenai.datasets.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pooled database: one connection for every unit of work, the WAL file kept between them. */
class PooledDatabaseTest {

    @TempDir
    Path dir;

    private static Conversation conversation(String id) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Conversation(id, "test", t, t, List.of(Message.user("hello " + id)), Map.of());
    }

    @Test
    void theWalFileStaysBetweenWritesOnlyWhenPooled() {
        Path file = dir.resolve("store.db");
        Path wal = dir.resolve("store.db-wal");
        String url = "jdbc:sqlite:" + file;
        ConversationStore plain = new ConversationStore(Database.open(url));
        plain.append(conversation("a"));
        // the last connection closed: SQLite checkpointed and deleted the WAL, the next write creates it again
        assertFalse(Files.exists(wal), "a per-write connection leaves no WAL file");

        Database pooledDb = Database.openPooled(url);
        ConversationStore pooled = new ConversationStore(pooledDb);
        for (int i = 0; i < 20; i++) {
            pooled.append(conversation("p" + i));
            assertTrue(Files.exists(wal), "the held connection keeps the WAL file after write " + i);
            assertEquals(
                    "hello p" + i,
                    pooled.get("p" + i).orElseThrow().messages().get(0).content());
        }
        // another connection sees every committed write, and can write while the pooled one is held (no
        // transaction, so no write lock, is kept open between units of work)
        assertEquals(21, plain.stats().conversations());
        long started = System.nanoTime();
        plain.append(conversation("from-another-connection"));
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "the other writer waited for a lock");
        pooledDb.closePooled();
        assertFalse(Files.exists(wal));
        pooled.append(conversation("after-close")); // opens another connection
        assertEquals(23, plain.stats().conversations());
        assertTrue(plain.get("after-close").isPresent());
        pooledDb.closePooled();
    }

    @Test
    void aFailedUnitOfWorkRollsBackAndTheNextOneRunsOnAFreshConnection() {
        Database db = Database.openPooled("jdbc:sqlite:" + dir.resolve("store.db"));
        ConversationStore store = new ConversationStore(db);
        store.append(conversation("kept"));
        assertThrows(
                StoreException.class,
                () -> db.write("a failing write", c -> {
                    c.createStatement().execute("DELETE FROM conversations");
                    throw new SQLException("boom");
                }));
        assertTrue(store.get("kept").isPresent(), "the failed write was rolled back");
        store.append(conversation("next"));
        assertTrue(store.get("next").isPresent());
        db.closePooled();
    }
}
