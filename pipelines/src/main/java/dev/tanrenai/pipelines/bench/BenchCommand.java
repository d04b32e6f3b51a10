package dev.tanrenai.pipelines.bench;

import picocli.CommandLine.Command;

/** {@code pipeline bench STAGE}: performance measurements that write JSON. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure a stage's performance against a reference in the same run (JSON with --json).",
        subcommands = {
            BenchTrainCommand.class,
            BenchEvaluateCommand.class,
            BenchServeCommand.class,
            BenchCurateCommand.class,
            BenchNightlyCommand.class
        })
public final class BenchCommand {}
