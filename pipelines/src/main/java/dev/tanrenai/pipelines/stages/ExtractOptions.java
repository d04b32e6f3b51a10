package dev.tanrenai.pipelines.stages;

import dev.tanrenai.extract.ExtractJob;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The extract options {@code pipeline run extract} and {@code pipeline run curate} share (the runner is {@link dev.tanrenai.pipelines.cli.RunnerOptions}). */
public final class ExtractOptions {

    @Option(
            names = "--since",
            paramLabel = "WATERMARK",
            description =
                    "Read store changes after this sequence number instead of the committed watermark (nothing is committed).")
    Long since;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "Also read this file (JSONL or a JSON array) or snapshot directory (repeatable).")
    List<Path> inputs;

    @Option(
            names = "--format",
            paramLabel = "F",
            description = "Format of --input: openai, sharegpt or alpaca (default: ${DEFAULT-VALUE}).")
    String format = "openai";

    List<ExtractJob.FileInput> files() {
        return ExtractCurate.files(inputs, format);
    }
}
