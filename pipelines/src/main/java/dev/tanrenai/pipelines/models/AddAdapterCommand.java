package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline models add-adapter PATH --base MODEL}: registers a GGUF LoRA adapter made elsewhere. */
@Command(
        name = "add-adapter",
        mixinStandardHelpOptions = true,
        description = {
            "Register a GGUF LoRA adapter (e.g. converted from PEFT with llama.cpp's convert_lora_to_gguf.py) for a",
            "registered base model; it is checked against the base (architecture) and copied into <home>/adapters."
        })
public final class AddAdapterCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    AliasOptions aliasOptions;

    @Parameters(index = "0", paramLabel = "PATH", description = "The adapter .gguf file.")
    Path path;

    @Option(
            names = "--base",
            required = true,
            paramLabel = "MODEL",
            description = "Id, name or alias of its base model.")
    String base;

    @Override
    public Integer call() {
        ModelRegistry registry = Stores.registry(common.config());
        Adapter adapter = registry.addAdapter(
                path, base, null, null, Map.of("source", path.toAbsolutePath().toString()));
        Output out = common.output();
        out.line("registered adapter " + adapter.id() + " for base " + adapter.baseModelId() + " ("
                + adapter.architecture() + ", " + adapter.sizeBytes() + " bytes)");
        out.line("  path   " + adapter.path());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("adapter", adapter);
        aliasOptions.moveIfRequested(registry, adapter.id(), "registered with models add-adapter", out, result);
        out.result(result);
        return 0;
    }
}
