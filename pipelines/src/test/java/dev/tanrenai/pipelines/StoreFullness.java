package dev.tanrenai.pipelines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Helpers of the full-disk tests: conversations to import, and what a store holds. */
final class StoreFullness {
    private StoreFullness() {}

    /** {@code n} distinct OpenAI-format conversations of about {@code chars} characters each. */
    static Path conversations(Path file, String prefix, int n, int chars) throws Exception {
        List<String> lines = new ArrayList<>();
        String filler = "x".repeat(chars);
        for (int i = 0; i < n; i++) {
            lines.add("{\"id\":\"" + prefix + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + " "
                    + filler + "\"},{\"role\":\"assistant\",\"content\":\"a" + i + "\"}]}");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** One long value of the store at {@code db}: a count, or a pragma. */
    static long number(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** SQLite's integrity check of the store at {@code db}: "ok" when intact. */
    static String integrity(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }
}
