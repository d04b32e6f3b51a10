package dev.tanrenai.pipelines.stages;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.loop.LoopStages;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

    @Mixin
    ExtractOptions extract;

    @Mixin
    dev.tanrenai.pipelines.cli.RunnerOptions runner;

    @Override
    public Integer call() throws IOException {
        Output out = common.output();
        LoopStages.Extracted r;
        try (PipelineRun run = PipelineRun.start(common.config(), "run extract", out)) {
            r = LoopStages.extract(
                    common.config(),
                    new LoopStages.ExtractInput(extract.since, extract.files(), runner.args()),
                    out,
                    run);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("snapshot", r.snapshotId());
        result.put("path", r.path().toString());
        result.put("from", r.from());
        result.put("upTo", r.upTo());
        result.put("counts", r.counts());
        result.put("quarantine", r.quarantine() == null ? null : r.quarantine().toString());
        out.result(result);
        return 0;
    }
}
