package dev.tanrenai.pipelines.train;

import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The adapter {@code --continue-from} names: a GGUF file, or a registry adapter (id or alias such as
 * {@code champion}) that must belong to the base model being trained.
 *
 * @param id the registry id, or null for a file outside the registry
 */
record ContinueFrom(Path path, String id) {

    static ContinueFrom resolve(String reference, ModelRegistry registry, BaseModel base) {
        Path file = Path.of(reference);
        if (Files.isRegularFile(file)) {
            return new ContinueFrom(file, null);
        }
        if (reference.endsWith(".gguf") || reference.contains("/")) {
            throw new IllegalArgumentException("--continue-from: no such adapter file: " + reference);
        }
        ModelRef ref = registry.resolve(reference);
        if (!ref.isAdapter()) {
            throw new IllegalArgumentException("--continue-from: '" + reference + "' is base model " + ref.id()
                    + ", not an adapter; leave --continue-from out to train a new adapter");
        }
        if (!ref.base().id().equals(base.id())) {
            throw new IllegalArgumentException("--continue-from: adapter " + ref.id() + " belongs to base model "
                    + ref.base().id() + ", not " + base.id() + " (" + base.name() + ")");
        }
        return new ContinueFrom(ref.adapter().path(), ref.adapter().id());
    }
}
