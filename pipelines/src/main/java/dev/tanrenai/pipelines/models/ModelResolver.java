package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns the {@code --model}/{@code --adapter} arguments of a command into runtime options: each is a
 * GGUF file path, or an id, name, alias ({@code champion}) or sha256 prefix from the registry.
 */
public final class ModelResolver {
    private ModelResolver() {}

    /** The base model and adapters to load for {@code model} (plus an optional extra {@code adapter}). */
    public static RuntimeOptions resolve(
            String model, String adapter, TanrenaiConfig config, Supplier<ModelRegistry> registry, long seed) {
        Path base;
        List<LoraAdapterRef> adapters = new ArrayList<>();
        if (isFile(model)) {
            base = Path.of(model);
        } else {
            ModelRef ref = registry.get().resolve(model);
            base = ref.base().path();
            ref.adapterIfAny().ifPresent(a -> adapters.add(LoraAdapterRef.of(a.path())));
        }
        if (adapter != null) {
            if (isFile(adapter)) {
                adapters.add(LoraAdapterRef.of(Path.of(adapter)));
            } else {
                ModelRef ref = registry.get().resolve(adapter);
                if (!ref.isAdapter()) {
                    throw new IllegalArgumentException(
                            "--adapter: '" + adapter + "' is base model " + ref.id() + ", not an adapter");
                }
                adapters.add(LoraAdapterRef.of(ref.adapter().path()));
            }
        }
        return new RuntimeOptions(
                base,
                adapters,
                config.runtimeContextLength(),
                config.runtimeThreads(),
                512,
                config.home().nativeDir(),
                false,
                null,
                seed);
    }

    /** True when {@code reference} names a file; a path-like reference to no file is an error. */
    private static boolean isFile(String reference) {
        if (Files.isRegularFile(Path.of(reference))) {
            return true;
        }
        if (reference.endsWith(".gguf") || reference.contains("/")) {
            throw new IllegalArgumentException("no such model file: " + reference);
        }
        return false;
    }
}
