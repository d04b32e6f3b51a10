package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline models alias NAME MODEL_OR_ADAPTER --reason TEXT}: moves an alias in one step. */
@Command(
        name = "alias",
        mixinStandardHelpOptions = true,
        description = "Point an alias (champion, challenger, ...) at a model or adapter; recorded in its history.")
public final class AliasCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The alias, e.g. champion.")
    String alias;

    @Parameters(
            index = "1",
            paramLabel = "MODEL_OR_ADAPTER",
            description = "Id, name, alias or sha256 prefix of a base model or adapter.")
    String target;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "TEXT",
            description = "Why it moves (kept in the history).")
    String reason;

    @Option(
            names = "--expect",
            paramLabel = "ID",
            description = "Fail unless the alias currently points at ID (guards against concurrent moves).")
    String expected;

    @Override
    public Integer call() {
        ModelRegistry registry = Stores.registry(common.config());
        ModelRef ref = registry.resolve(target);
        String actor = System.getProperty("user.name");
        AliasMove move = expected == null
                ? registry.moveAlias(alias, ref.id(), reason, actor)
                : registry.moveAlias(alias, expected, ref.id(), reason, actor);
        Output out = common.output();
        out.line(alias + ": " + (move.fromId() == null ? "(none)" : move.fromId()) + " -> " + move.toId() + " ("
                + move.reason() + ")");
        out.result(move);
        return 0;
    }
}
