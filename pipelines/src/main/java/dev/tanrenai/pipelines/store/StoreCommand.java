package dev.tanrenai.pipelines.store;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pipeline store ...}: the conversation store. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description = "Inspect and export the conversation store.",
        subcommands = {StoreStatsCommand.class, StoreExportCommand.class})
public final class StoreCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a store command is required (see pipeline store --help)");
    }
}
