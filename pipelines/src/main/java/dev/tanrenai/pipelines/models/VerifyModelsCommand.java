package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.registry.Verification;
import dev.tanrenai.pipelines.PipelineCli;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pipeline models verify [ID...]}: registered files still there with their recorded hash. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Check that registered model and adapter files exist and still have their recorded SHA-256"
                + " (exit code 1 if any does not).")
public final class VerifyModelsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(
            paramLabel = "ID",
            arity = "0..*",
            description = "Ids, names or aliases (default: everything registered).")
    List<String> references = new ArrayList<>();

    @Override
    public Integer call() {
        ModelRegistry registry = Stores.registry(common.config());
        List<String> ids = new ArrayList<>();
        if (references.isEmpty()) {
            registry.baseModels().forEach(m -> ids.add(m.id()));
            registry.adapters().forEach(a -> ids.add(a.id()));
        } else {
            references.forEach(r -> ids.add(registry.resolve(r).id()));
        }
        Output out = common.output();
        List<Verification> results = new ArrayList<>();
        for (String id : ids) {
            Verification v = registry.verify(id);
            results.add(v);
            out.line((v.ok() ? "ok    " : "FAIL  ") + v.message());
        }
        out.result(results);
        return results.stream().allMatch(Verification::ok) ? 0 : PipelineCli.EXIT_FAILURE;
    }
}
