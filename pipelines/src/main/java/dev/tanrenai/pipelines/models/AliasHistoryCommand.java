package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pipeline models history ALIAS}: every move of an alias, oldest first. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Show every move of an alias: what, from what, when, why.")
public final class AliasHistoryCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "The alias, e.g. champion.")
    String alias;

    @Override
    public Integer call() {
        List<AliasMove> moves = Stores.registry(common.config()).history(alias);
        Output out = common.output();
        if (moves.isEmpty()) {
            out.line(alias + " has never been set");
        }
        for (AliasMove m : moves) {
            out.line(m.at() + "  " + (m.fromId() == null ? "(none)" : m.fromId()) + " -> " + m.toId() + "  by "
                    + m.actor() + ": " + m.reason());
        }
        out.result(moves);
        return 0;
    }
}
