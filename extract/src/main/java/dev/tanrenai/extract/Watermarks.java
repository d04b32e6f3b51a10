package dev.tanrenai.extract;

import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.Migration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;

/**
 * The extract stage's committed watermarks, one per dataset, in the store database: the store
 * sequence number up to which conversations are in a durably written snapshot.
 */
public final class Watermarks {

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "extract watermarks per dataset",
            List.of("CREATE TABLE extract_watermarks (dataset VARCHAR(200) PRIMARY KEY, watermark BIGINT NOT NULL, "
                    + "snapshot_id VARCHAR(40) NOT NULL, committed_at VARCHAR(40) NOT NULL)")));

    private final Database db;

    public Watermarks(Database db) {
        this.db = db;
        db.migrate("extract", MIGRATIONS);
    }

    /** The committed watermark of {@code dataset}, 0 when none. */
    public long get(String dataset) {
        return db.read("read the extract watermark of " + dataset, c -> {
            try (PreparedStatement p =
                    c.prepareStatement("SELECT watermark FROM extract_watermarks WHERE dataset = ?")) {
                p.setString(1, dataset);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            }
        });
    }

    /** Commits {@code watermark} for {@code dataset}, recorded with the snapshot that holds it. */
    public void commit(String dataset, long watermark, String snapshotId) {
        db.write("commit extract watermark " + watermark + " of " + dataset, c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM extract_watermarks WHERE dataset = ?")) {
                d.setString(1, dataset);
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO extract_watermarks (dataset, watermark, "
                    + "snapshot_id, committed_at) VALUES (?,?,?,?)")) {
                p.setString(1, dataset);
                p.setLong(2, watermark);
                p.setString(3, snapshotId);
                p.setString(4, Instant.now().toString());
                p.executeUpdate();
            }
            return null;
        });
    }
}
