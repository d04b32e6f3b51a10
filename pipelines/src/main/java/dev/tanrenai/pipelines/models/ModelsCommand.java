package dev.tanrenai.pipelines.models;

import picocli.CommandLine.Command;

/** {@code pipeline models ...}: the model and adapter registry, GGUF inspection and tiny models. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Register, list, inspect and alias base models and LoRA adapters; make tiny models.",
        subcommands = {
            AddModelCommand.class,
            PullModelCommand.class,
            AddAdapterCommand.class,
            ListModelsCommand.class,
            InspectModelCommand.class,
            AliasCommand.class,
            AliasHistoryCommand.class,
            VerifyModelsCommand.class,
            RecommendCommand.class,
            MakeTinyCommand.class
        })
public final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "a models command is required (see pipeline models --help)");
    }
}
