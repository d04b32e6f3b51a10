package dev.tanrenai.pipelines;

import dev.tanrenai.pipelines.stages.RunCurateCommand;
import dev.tanrenai.pipelines.stages.RunExtractCommand;
import dev.tanrenai.pipelines.train.RunTrainCommand;
import picocli.CommandLine.Command;

/** {@code pipeline run STAGE}: runs one stage of the loop. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a stage of the loop (extract, curate, train, evaluate), or the whole loop (nightly).",
        subcommands = {
            RunExtractCommand.class,
            RunCurateCommand.class,
            RunTrainCommand.class,
            dev.tanrenai.pipelines.evaluate.RunEvaluateCommand.class,
            dev.tanrenai.pipelines.loop.RunNightlyCommand.class
        })
public final class RunCommand {}
