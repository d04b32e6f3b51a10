package dev.tanrenai.pipelines;

import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo's first champion: the bundled stories260K, or a tiny random model; registered once. */
final class DemoChampion {
    /** Where stories260K.gguf is bundled (with its LICENSE-NOTE.md), under the demo resources. */
    static final String STORIES260K = "stories260K/stories260K.gguf";

    private DemoChampion() {}

    static BaseModel ensure(TanrenaiConfig config, DemoSetup.Champion kind, Output out) throws IOException {
        ModelRegistry registry = Stores.registry(config);
        String name = kind == DemoSetup.Champion.STORIES260K ? "stories260K" : "tiny-llama";
        ModelRef existing = registry.alias("champion").orElse(null);
        if (existing != null && !existing.base().name().equals(name)) {
            // checked before anything is copied or registered: the home is left as it was
            throw new IllegalStateException("the demo home " + config.home().root() + " belongs to a demo on "
                    + existing.base().name() + " (champion " + existing.id() + "), not " + name
                    + ": run this demo with another --home (or "
                    + (kind == DemoSetup.Champion.TINY_RANDOM ? "without" : "with")
                    + " --tiny)");
        }
        BaseModel model =
                switch (kind) {
                    case STORIES260K -> {
                        Path file = config.home().modelsDir().resolve("stories260K.gguf");
                        if (!Files.exists(file)) {
                            Files.createDirectories(file.getParent());
                            DemoCommand.copyResource(STORIES260K, file.getParent());
                            out.line("  copied the bundled stories260K.gguf (MIT, Andrej Karpathy's llama2.c) to "
                                    + file);
                        }
                        yield registry.addBaseModel(file, name, false);
                    }
                    case TINY_RANDOM -> {
                        Path file = config.home().modelsDir().resolve("tiny-llama.gguf");
                        if (!Files.exists(file)) {
                            String sha = TinyModelMaker.write(TinyModelSpec.llamaDefault(), file);
                            out.line("  made tiny llama model " + file + " (sha256 " + sha.substring(0, 16) + "...)");
                        }
                        yield registry.addBaseModel(file, name, false);
                    }
                };
        if (registry.alias("champion").isEmpty()) {
            registry.moveAlias("champion", model.id(), "demo: first champion (" + model.name() + ")", "demo");
        }
        ModelRef current = registry.alias("champion").orElseThrow();
        out.line("  champion -> " + current.id() + " (" + current.base().name() + ", "
                + current.base().architecture() + ", " + current.base().sizeBytes() + " bytes)");
        return model;
    }
}
