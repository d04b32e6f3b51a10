package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufSummary;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import dev.tanrenai.pipelines.cli.Output;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline models inspect PATH}: GGUF header, metadata and tensor table. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Show a GGUF file's architecture, hyper-parameters, metadata and tensor table.")
public final class InspectModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "A .gguf model or adapter file.")
    Path path;

    @Option(names = "--brief", description = "Only the overview, without the metadata and tensor table.")
    boolean brief;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (GgufFile file = GgufFile.open(path)) {
            GgufSummary summary = file.summary();
            Output out = Output.of(spec, json);
            out.line(summary.render(!brief).stripTrailing());
            out.result(toJson(summary, !brief));
        }
        return 0;
    }

    private static Map<String, Object> toJson(GgufSummary s, boolean full) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", s.path().toString());
        result.put("fileSize", s.fileSize());
        result.put("version", s.version());
        result.put("architecture", s.architecture());
        result.put("name", s.name());
        result.put("hyperParameters", s.hyperParameters());
        result.put("tokenizer", s.tokenizerModel());
        result.put("vocabSize", s.vocabSize().isPresent() ? s.vocabSize().getAsInt() : null);
        result.put("hasChatTemplate", s.hasChatTemplate());
        result.put("tensorCount", s.tensorCount());
        result.put("parameterCount", s.parameterCount());
        result.put("tensorsByType", s.tensorsByType());
        if (full) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            s.metadata().asMap().forEach((key, value) -> metadata.put(key, value.render()));
            result.put("metadata", metadata);
            List<Map<String, Object>> tensors = new ArrayList<>();
            for (GgufTensorInfo t : s.tensors()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", t.name());
                row.put("type", t.type());
                row.put("shape", t.shape());
                row.put("offset", t.offset());
                row.put("bytes", t.byteSize());
                tensors.add(row);
            }
            result.put("tensors", tensors);
        }
        return result;
    }
}
