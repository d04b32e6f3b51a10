package dev.tanrenai.schedules;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fresh PostgreSQL databases for the {@code *PostgresIT} tier, on the server at
 * {@code -Dtanrenai.postgres.url} (.ci/run starts a throwaway one); a missing property fails the test.
 */
final class PostgresDatabases {
    private PostgresDatabases() {}

    static String fresh(String prefix) throws SQLException {
        String admin = System.getProperty("tanrenai.postgres.url", "");
        if (!admin.startsWith("jdbc:postgresql://")) {
            throw new IllegalStateException(
                    "the PostgreSQL tier needs -Dtanrenai.postgres.url=jdbc:postgresql://host:port/db?user=...,"
                            + " got '" + admin + "'");
        }
        String name = prefix + "_" + Long.toString(System.nanoTime(), 36);
        try (Connection c = DriverManager.getConnection(admin);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        int query = admin.indexOf('?');
        String base = query < 0 ? admin : admin.substring(0, query);
        String params = query < 0 ? "" : admin.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + params;
    }
}
