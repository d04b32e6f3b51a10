package dev.tanrenai.datasets.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fresh PostgreSQL databases for the {@code *PostgresIT} tier. The server comes from
 * {@code -Dtanrenai.postgres.url} (a JDBC URL whose database may create others); a missing property
 * fails the test: the tier runs only when asked for ({@code -Ppostgres}).
 */
public final class PostgresDatabases {
    private PostgresDatabases() {}

    /** Creates an empty database and returns its JDBC URL. */
    public static String fresh(String prefix) throws SQLException {
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
