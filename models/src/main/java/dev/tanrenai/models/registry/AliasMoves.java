package dev.tanrenai.models.registry;

import dev.tanrenai.datasets.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Alias moves: read current target, update the alias, append history, all in one transaction. */
final class AliasMoves {
    private AliasMoves() {}

    static void requireAliasName(String alias) {
        if (!ModelRegistry.isAliasName(alias)) {
            throw new RegistryException(
                    "alias '" + alias + "' is invalid: use a lower-case letter then up to 63 of [a-z0-9_-]");
        }
    }

    static AliasMove move(
            Database db,
            String alias,
            boolean checkExpected,
            String expectedCurrentId,
            String targetId,
            String reason,
            String actor) {
        requireAliasName(alias);
        Objects.requireNonNull(targetId, "targetId");
        if (reason == null || reason.isBlank()) {
            throw new RegistryException("moving alias '" + alias + "' needs a reason");
        }
        if (actor == null || actor.isBlank()) {
            throw new RegistryException("moving alias '" + alias + "' needs an actor (user or run id)");
        }
        return db.write("move alias " + alias + " to " + targetId, c -> {
            if (RegistryRows.byId(c, targetId).isEmpty()) {
                throw new RegistryException("cannot point alias '" + alias + "' at '" + targetId
                        + "': no base model or adapter has that id");
            }
            Optional<String> current = RegistryRows.aliasTarget(c, alias);
            String from = current.orElse(null);
            if (checkExpected && !Objects.equals(from, expectedCurrentId)) {
                throw new AliasConflictException(alias, expectedCurrentId, from);
            }
            Instant now = Instant.now();
            if (from == null) {
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO registry_aliases (alias, target_id, updated_at) VALUES (?,?,?)")) {
                    p.setString(1, alias);
                    p.setString(2, targetId);
                    p.setString(3, now.toString());
                    p.executeUpdate();
                }
            } else {
                try (PreparedStatement p = c.prepareStatement(
                        "UPDATE registry_aliases SET target_id = ?, updated_at = ? WHERE alias = ? AND target_id = ?")) {
                    p.setString(1, targetId);
                    p.setString(2, now.toString());
                    p.setString(3, alias);
                    p.setString(4, from);
                    if (p.executeUpdate() != 1) {
                        throw new AliasConflictException(
                                alias, from, RegistryRows.aliasTarget(c, alias).orElse(null));
                    }
                }
            }
            AliasMove move = new AliasMove(alias, from, targetId, reason, actor, now);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO registry_alias_history "
                    + "(alias, move_no, from_id, to_id, reason, actor, moved_at) VALUES (?,?,?,?,?,?,?)")) {
                p.setString(1, alias);
                p.setInt(2, nextMoveNumber(c, alias));
                p.setString(3, from);
                p.setString(4, targetId);
                p.setString(5, reason);
                p.setString(6, actor);
                p.setString(7, now.toString());
                p.executeUpdate();
            }
            return move;
        });
    }

    private static int nextMoveNumber(Connection c, String alias) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT COALESCE(MAX(move_no), 0) FROM registry_alias_history WHERE alias = ?")) {
            p.setString(1, alias);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1) + 1;
            }
        }
    }
}
