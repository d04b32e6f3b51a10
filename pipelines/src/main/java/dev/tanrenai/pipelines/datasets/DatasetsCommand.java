package dev.tanrenai.pipelines.datasets;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pipeline datasets ...}: versioned Arrow dataset snapshots. */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = "Write, list and inspect versioned Arrow dataset snapshots.",
        subcommands = {SnapshotStoreCommand.class, ListDatasetsCommand.class, InspectSnapshotCommand.class})
public final class DatasetsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a datasets command is required (see pipeline datasets --help)");
    }
}
