package dev.tanrenai.pipelines;

import dev.tanrenai.pipelines.bench.BenchCommand;
import dev.tanrenai.pipelines.datasets.DatasetsCommand;
import dev.tanrenai.pipelines.models.ModelsCommand;
import dev.tanrenai.pipelines.store.StoreCommand;
import picocli.CommandLine;

/** Registers every subcommand of {@code pipeline}, in the order {@code --help} lists them. */
final class Commands {
    private Commands() {}

    static void register(CommandLine root) {
        root.addSubcommand(new DemoCommand());
        root.addSubcommand(new ImportCommand());
        root.addSubcommand(new StoreCommand());
        root.addSubcommand(new DatasetsCommand());
        root.addSubcommand(new ModelsCommand());
        root.addSubcommand(new RunCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.evaluate.EvaluationsCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.loop.RunsCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.schedule.ScheduleCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.schedule.SchedulerCommand());
        root.addSubcommand(new ServeCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.ab.AbCommand());
        root.addSubcommand(new dev.tanrenai.pipelines.chat.ChatCommand());
        root.addSubcommand(new GenerateCommand());
        root.addSubcommand(new BenchCommand());
        root.addSubcommand("help", new CommandLine.HelpCommand());
    }
}
