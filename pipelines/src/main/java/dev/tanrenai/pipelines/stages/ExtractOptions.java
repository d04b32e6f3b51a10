package dev.tanrenai.pipelines.stages;

import dev.tanrenai.extract.ExtractJob;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The extract options {@code pipeline run extract} and {@code pipeline run curate} share, and the Beam options. */
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

    @Option(
            names = "--beam",
            paramLabel = "OPTION",
            description =
                    "A Beam pipeline option, e.g. --beam=--runner=FlinkRunner --beam=--flinkMaster=[local] (repeatable; default: the direct runner).")
    List<String> beamArgs = List.of();

    List<ExtractJob.FileInput> files() {
        return ExtractCurate.files(inputs, format);
    }
}
