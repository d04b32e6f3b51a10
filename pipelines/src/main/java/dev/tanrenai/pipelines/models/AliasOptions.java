package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.Output;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --alias} and {@code --reason} of the commands that register something and may point an alias at it. */
public final class AliasOptions {

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Also point this alias (e.g. champion) at it.")
    String alias;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the alias moves (kept in its history).")
    String reason;

    /**
     * Moves the alias to {@code id} when {@code --alias} was given, printing the move and adding it to
     * {@code result} as {@code aliasMove}.
     */
    public void moveIfRequested(
            ModelRegistry registry, String id, String defaultReason, Output out, Map<String, Object> result) {
        if (alias == null) {
            return;
        }
        AliasMove move =
                registry.moveAlias(alias, id, reason != null ? reason : defaultReason, System.getProperty("user.name"));
        out.line("alias " + alias + ": " + (move.fromId() == null ? "(none)" : move.fromId()) + " -> " + move.toId());
        result.put("aliasMove", move);
    }
}
