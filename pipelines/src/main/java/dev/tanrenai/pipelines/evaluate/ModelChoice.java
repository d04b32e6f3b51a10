package dev.tanrenai.pipelines.evaluate;

import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model named on the command line, resolved: a registry entry (alias, id, prefix) or an adapter
 * file over a known base.
 *
 * @param model the weights
 * @param label how it was named, with what it resolved to
 * @param ref the registry entry, or null for a file
 */
record ModelChoice(ModelUnderTest model, String label, ModelRef ref) {

    String adapterId() {
        return ref != null && ref.isAdapter() ? ref.id() : null;
    }

    /** Resolves {@code name}; a file is taken as an adapter over {@code baseForFiles}. */
    static ModelChoice resolve(String name, ModelRegistry registry, Path baseForFiles, String flag) throws IOException {
        Path file = Path.of(name);
        if (name.endsWith(".gguf") || Files.isRegularFile(file)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(flag + ": adapter file " + file + " does not exist");
            }
            if (baseForFiles == null) {
                throw new IllegalArgumentException(flag + ": an adapter file needs a known base model; register it with"
                        + " `pipeline models add-adapter` or name the baseline from the registry");
            }
            return new ModelChoice(ModelUnderTest.ofFiles(baseForFiles, file), file.toString(), null);
        }
        ModelRef ref;
        try {
            ref = registry.resolve(name);
        } catch (RegistryException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
        String label = name.equals(ref.id()) ? name : name + " (" + ref.id() + ")";
        return new ModelChoice(ModelUnderTest.of(ref), label, ref);
    }
}
