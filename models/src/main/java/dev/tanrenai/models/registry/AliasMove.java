package dev.tanrenai.models.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded move of an alias.
 *
 * @param alias the alias name
 * @param fromId the previous target, null when the alias was created
 * @param toId the new target
 * @param reason why (required)
 * @param actor who or what moved it (a user, a pipeline run id)
 * @param at when
 */
public record AliasMove(String alias, String fromId, String toId, String reason, String actor, Instant at) {
    public AliasMove {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(toId, "toId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
