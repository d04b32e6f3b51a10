package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.cli.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline models make-tiny OUT}: writes a seeded random tiny GGUF model llama.cpp can load. */
@Command(
        name = "make-tiny",
        mixinStandardHelpOptions = true,
        description = "Write a tiny llama- or qwen2-architecture GGUF model with seeded random weights, a "
                + "SentencePiece-style vocabulary and a ChatML chat template (for tests and demos).")
public final class MakeTinyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OUT", description = "The .gguf file to write.")
    Path out;

    @Option(names = "--arch", paramLabel = "ARCH", description = "llama or qwen2 (default: llama).")
    String arch = "llama";

    @Option(names = "--blocks", paramLabel = "N", description = "Transformer blocks (default: 2).")
    Integer blocks;

    @Option(names = "--dim", paramLabel = "N", description = "Embedding width (default: 64).")
    Integer dim;

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads (default: 4).")
    Integer heads;

    @Option(names = "--kv-heads", paramLabel = "N", description = "Key/value heads (default: 2).")
    Integer kvHeads;

    @Option(names = "--ffn", paramLabel = "N", description = "Feed-forward width (default: 128).")
    Integer ffn;

    @Option(names = "--vocab", paramLabel = "N", description = "Vocabulary size (default: 512).")
    Integer vocab;

    @Option(names = "--context", paramLabel = "N", description = "Context length (default: 512).")
    Integer context;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random weights (default: 42).")
    Long seed;

    @Option(names = "--type", paramLabel = "TYPE", description = "Weight type: F32, F16 or Q8_0 (default: F32).")
    String type;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TinyModelSpec tiny = spec();
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " already exists (use --force to overwrite)");
        }
        String sha256 = TinyModelMaker.write(tiny, out);
        Output output = Output.of(spec, json);
        output.line("wrote " + out + " (" + tiny.architecture().ggufName() + ", "
                + tiny.blockCount() + " blocks, dim " + tiny.embeddingLength() + ", vocab " + tiny.vocabSize()
                + ", " + Files.size(out) + " bytes)");
        output.line("sha256 " + sha256);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("path", out.toAbsolutePath().toString());
        result.put("sha256", sha256);
        result.put("bytes", Files.size(out));
        result.put("spec", tiny);
        output.result(result);
        return 0;
    }

    TinyModelSpec spec() {
        TinyModelSpec base =
                switch (arch.toLowerCase(Locale.ROOT)) {
                    case "llama" -> TinyModelSpec.llamaDefault();
                    case "qwen2" -> TinyModelSpec.qwen2Default();
                    default ->
                        throw new IllegalArgumentException("--arch: expected llama or qwen2, got '" + arch + "'");
                };
        GgmlType tensorType = base.tensorType();
        if (type != null) {
            try {
                tensorType = GgmlType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--type: expected F32, F16 or Q8_0, got '" + type + "'", e);
            }
        }
        return new TinyModelSpec(
                base.architecture(),
                blocks != null ? blocks : base.blockCount(),
                dim != null ? dim : base.embeddingLength(),
                heads != null ? heads : base.headCount(),
                kvHeads != null ? kvHeads : base.headCountKv(),
                ffn != null ? ffn : base.feedForwardLength(),
                vocab != null ? vocab : base.vocabSize(),
                context != null ? context : base.contextLength(),
                base.ropeFreqBase(),
                base.rmsEps(),
                seed != null ? seed : base.seed(),
                tensorType);
    }
}
