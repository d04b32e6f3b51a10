package dev.tanrenai.pipelines;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.models.runtime.CancellationToken;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.models.ModelResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline generate}: greedy text from a model through llama.cpp. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate text with llama.cpp from a model (and adapter): greedy at temperature 0, repeatable.")
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "M",
            description = "A .gguf file, or a registry id, name or alias (e.g. champion).")
    String model;

    @Option(names = "--adapter", paramLabel = "A", description = "A LoRA adapter: .gguf file or registry id.")
    String adapter;

    @Option(
            names = "--prompt",
            required = true,
            paramLabel = "P",
            description = "The prompt (the user message with --chat).")
    String prompt;

    @Option(names = "--chat", description = "Wrap the prompt as a user turn in the model's chat template.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message (with --chat).")
    String system;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens = 64;

    @Option(names = "--seed", paramLabel = "S", description = "Sampler seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Bound on the generation (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 120;

    @Override
    public Integer call() {
        TanrenaiConfig config = common.config();
        RuntimeOptions options = ModelResolver.resolve(model, adapter, config, () -> Stores.registry(config), seed);
        Output out = common.output();
        try (LlamaRuntime runtime = LlamaRuntime.load(options)) {
            String text = prompt;
            if (chat) {
                List<Message> messages = new ArrayList<>();
                if (system != null) {
                    messages.add(Message.system(system));
                }
                messages.add(Message.user(prompt));
                text = runtime.applyChatTemplate(messages, true);
            } else if (system != null) {
                throw new IllegalArgumentException("--system needs --chat");
            }
            GenerationRequest request =
                    new GenerationRequest(text, maxTokens, 0f, 1f, seed, List.of(), Duration.ofSeconds(timeoutSeconds));
            Completion completion = out.json()
                    ? runtime.complete(request)
                    : runtime.stream(request, out::partial, new CancellationToken());
            out.line("");
            out.line("[" + completion.finishReason().name().toLowerCase(java.util.Locale.ROOT) + ", "
                    + completion.tokenCount() + " tokens, " + completion.promptTokenCount() + " prompt tokens, "
                    + completion.elapsed().toMillis() + " ms]");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", options.baseModel().toString());
            result.put("adapters", options.adapters());
            result.put("prompt", text);
            result.put("text", completion.text());
            result.put("finishReason", completion.finishReason());
            result.put("tokens", completion.tokenCount());
            result.put("promptTokens", completion.promptTokenCount());
            result.put("elapsedMillis", completion.elapsed().toMillis());
            out.result(result);
        }
        return 0;
    }
}
