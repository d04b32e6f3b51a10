package dev.tanrenai.pipelines.stages;

import dev.tanrenai.extract.ExtractJob;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline run extract}: store changes since the watermark (and files) to a validated snapshot. */
@Command(
        name = "extract",
        mixinStandardHelpOptions = true,
        description = {
            "Read the conversations changed in the store since the last committed watermark (and any --input",
            "files), validate them on Apache Beam, write a snapshot of the valid ones and quarantine the rest with",
            "their reasons; the watermark is committed after the snapshot is written."
        })
public final class RunExtractCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

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
            description = "Format of --input: openai or sharegpt (default: ${DEFAULT-VALUE}).")
    String format = "openai";

    @Option(
            names = "--beam",
            paramLabel = "OPTION",
            description =
                    "A Beam pipeline option, e.g. --beam=--runner=FlinkRunner --beam=--flinkMaster=[local] (repeatable; default: the direct runner).")
    List<String> beamArgs = List.of();

    @Override
    public Integer call() throws IOException {
        Output out = common.output();
        ExtractJob.Result r =
                ExtractCurate.extract(common.config(), since, ExtractCurate.files(inputs, format), beamArgs, out);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("snapshot", r.snapshot().id());
        result.put("path", r.snapshot().dir().toString());
        result.put("from", r.from());
        result.put("upTo", r.upTo());
        result.put("counts", r.counts());
        result.put("quarantine", r.quarantine() == null ? null : r.quarantine().toString());
        out.result(result);
        return 0;
    }
}
