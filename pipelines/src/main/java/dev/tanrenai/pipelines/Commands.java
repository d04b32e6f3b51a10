package dev.tanrenai.pipelines;

import dev.tanrenai.pipelines.models.ModelsCommand;
import dev.tanrenai.pipelines.store.StoreCommand;
import picocli.CommandLine;

/** Registers every subcommand of {@code pipeline}. */
final class Commands {
    private Commands() {}

    static void register(CommandLine root) {
        root.addSubcommand(new ModelsCommand());
        root.addSubcommand(new GenerateCommand());
        root.addSubcommand("help", new CommandLine.HelpCommand());
        root.addSubcommand(new StoreCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.datasets.DatasetsCommand());
    }
}
