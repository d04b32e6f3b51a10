package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pipeline models list}: base models, adapters and the aliases pointing at them. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List registered base models, adapters and aliases.")
public final class ListModelsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        ModelRegistry registry = Stores.registry(common.config());
        List<BaseModel> bases = registry.baseModels();
        List<Adapter> adapters = registry.adapters();
        Map<String, String> aliases = new TreeMap<>(registry.aliases());
        Output out = common.output();
        out.line("base models (" + bases.size() + ")");
        for (BaseModel m : bases) {
            out.line(String.format(
                    Locale.ROOT,
                    "  %-16s %-24s %-8s %10d bytes  %s%s",
                    m.id(),
                    m.name(),
                    m.architecture(),
                    m.sizeBytes(),
                    m.path(),
                    aliasesOf(aliases, m.id())));
        }
        out.line("adapters (" + adapters.size() + ")");
        for (Adapter a : adapters) {
            out.line(String.format(
                    Locale.ROOT,
                    "  %-16s base %-16s run %-12s dataset %-20s%s",
                    a.id(),
                    a.baseModelId(),
                    a.producingRunId() == null ? "-" : a.producingRunId(),
                    a.datasetSnapshotId() == null ? "-" : a.datasetSnapshotId(),
                    aliasesOf(aliases, a.id())));
        }
        out.line("aliases (" + aliases.size() + ")");
        aliases.forEach((alias, target) -> out.line("  " + alias + " -> " + target));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("baseModels", bases);
        result.put("adapters", adapters);
        result.put("aliases", aliases);
        out.result(result);
        return 0;
    }

    private static String aliasesOf(Map<String, String> aliases, String id) {
        StringBuilder sb = new StringBuilder();
        aliases.forEach((alias, target) -> {
            if (target.equals(id)) {
                sb.append(sb.length() == 0 ? "  [" : ", ").append(alias);
            }
        });
        return sb.length() == 0 ? "" : sb.append(']').toString();
    }
}
