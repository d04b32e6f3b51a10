package dev.tanrenai.serve;

import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.registry.Verification;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads the model a registry alias points at into a slot. Files are checked against their recorded
 * SHA-256 first, then by the models module's validators (in {@code LlamaRuntime.load}: hyper-parameters
 * llama.cpp would abort on, non-finite weights, adapter values and shapes) before llama.cpp sees them;
 * a missing, corrupt, invalid or base-mismatched file is refused with a {@link SlotLoadException} and
 * nothing already serving is touched.
 */
public final class SlotLoader {

    private final ModelRegistry registry;
    private final ServeConfig config;
    private final Path nativeDir;

    public SlotLoader(ModelRegistry registry, ServeConfig config, Path nativeDir) {
        this.registry = registry;
        this.config = config;
        this.nativeDir = nativeDir;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** What {@code alias} points at now, if anything. */
    public Optional<ModelRef> target(String alias) {
        return registry.alias(alias);
    }

    public ModelSlot load(Arm arm, ModelRef ref) {
        check(ref.base().id());
        ref.adapterIfAny().ifPresent(a -> check(a.id()));
        List<LoraAdapterRef> adapters = ref.adapterIfAny()
                .map(a -> List.of(LoraAdapterRef.of(a.path())))
                .orElse(List.of());
        RuntimeOptions options = RuntimeOptions.defaults(ref.base().path(), nativeDir)
                .withAdapters(adapters)
                .withContextLength(config.contextLength())
                .withThreads(config.threads());
        LlamaRuntime runtime;
        try {
            runtime = LlamaRuntime.load(options, config.parallel());
        } catch (RuntimeException e) {
            throw new SlotLoadException(arm, ref.id(), e.getMessage(), e);
        }
        return new ModelSlot(
                arm,
                ref.base().id(),
                ref.adapterIfAny().map(a -> a.id()).orElse(null),
                runtime,
                config.queueCapacity());
    }

    private void check(String id) {
        Verification v = registry.verify(id);
        if (!v.ok()) {
            throw new SlotLoadException(null, id, v.message(), null);
        }
    }

    /** A model that cannot be served; the slot keeps what it had. */
    public static final class SlotLoadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SlotLoadException(Arm arm, String id, String why, Throwable cause) {
            super((arm == null ? "" : arm.wireName() + ": ") + "cannot serve " + id + ": " + why, cause);
        }
    }
}
