package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.BaseModel;
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

/** {@code pipeline models add PATH [--alias champion]}: registers a base model GGUF. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "Register a base model GGUF (idempotent: the same file content gives the same id).")
public final class AddModelCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    AliasOptions aliasOptions;

    @Parameters(index = "0", paramLabel = "PATH", description = "The base model .gguf file.")
    Path path;

    @Option(names = "--name", paramLabel = "NAME", description = "Unique name (default: the file name without .gguf).")
    String name;

    @Option(names = "--copy", description = "Copy the file into <home>/models instead of referring to it in place.")
    boolean copy;

    @Override
    public Integer call() {
        ModelRegistry registry = Stores.registry(common.config());
        BaseModel model = registry.addBaseModel(path, name, copy);
        Output out = common.output();
        out.line("registered " + model.id() + " (" + model.name() + ", " + model.architecture() + ", "
                + model.sizeBytes() + " bytes)");
        out.line("  path   " + model.path());
        out.line("  sha256 " + model.sha256());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", model);
        aliasOptions.moveIfRequested(registry, model.id(), "registered with models add", out, result);
        out.result(result);
        return 0;
    }
}
