package dev.tanrenai.datasets.store;

import java.util.List;

/**
 * One versioned schema step of a component (e.g. {@code conversations}, {@code registry}).
 *
 * @param version 1, 2, 3, ... applied in order, each exactly once per database
 * @param description what the step does, recorded in {@code schema_migrations}
 * @param statements portable SQL (SQLite and PostgreSQL), executed in one transaction
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration version must be >= 1, got " + version);
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("migration " + version + " needs a description");
        }
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("migration " + version + " has no statements");
        }
    }
}
