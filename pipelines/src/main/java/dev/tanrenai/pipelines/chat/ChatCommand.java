package dev.tanrenai.pipelines.chat;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.serve.ServeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline chat}: an interactive terminal chat with the home's champion, or with a running endpoint. */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "Chat with a model in the terminal: replies stream as they are generated, every turn (and /feedback)",
            "is stored like a served conversation, so tonight's training sees it. By default the model runs in",
            "this process (the home's 'champion' alias); with --url it talks to a running pipeline serve.",
            "",
            "Enter sends; a line ending in \\ continues on the next line; a line with only \"\"\" starts and ends",
            "a pasted block. Ctrl-C stops a reply (not kept) or clears the line; Ctrl-D quits; Up recalls input.",
            "Commands: /model REF, /adapter REF|none, /system [TEXT], /reset, /save FILE, /feedback up|down,",
            "/stats, /help, /exit."
        })
public final class ChatCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "A running endpoint (e.g. http://127.0.0.1:8080); default: run the model in-process.")
    String url;

    @Option(
            names = "--api-key-env",
            paramLabel = "VAR",
            description = "Environment variable holding the endpoint's API key (default: ${DEFAULT-VALUE}; unset:"
                    + " no key).")
    String apiKeyEnv = "TANRENAI_API_KEY";

    @Option(
            names = "--model",
            paramLabel = "REF",
            description = "In-process: a registry id, name, alias or sha256 prefix (default: ${DEFAULT-VALUE});"
                    + " with --url: the model name sent to the endpoint (default: its champion).")
    String model;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
    String system;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            description = "Longest reply, in tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens = 512;

    @Option(
            names = "--temperature",
            paramLabel = "T",
            description = "Sampling temperature, 0..2 (default: ${DEFAULT-VALUE}).")
    float temperature = 0.7f;

    @Option(names = "--seed", paramLabel = "N", description = "Sampling seed (default: random).")
    Long seed;

    @Option(
            names = "--history",
            paramLabel = "FILE",
            description = "Input history file (default: <home>/chat_history).")
    Path history;

    @Override
    public Integer call() throws Exception {
        TanrenaiConfig config = common.config();
        ChatBackend.Settings settings = new ChatBackend.Settings(
                maxTokens,
                temperature,
                seed != null ? seed : ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
        config.home().initialize();
        Path historyFile = history != null ? history : config.home().root().resolve("chat_history");
        try (ChatBackend backend = backend(config)) {
            ChatLoop.run(backend, settings, system, historyFile);
        }
        return 0;
    }

    private ChatBackend backend(TanrenaiConfig config) {
        if (url != null) {
            String key = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
            RemoteChat remote = new RemoteChat(url, key == null || key.isBlank() ? null : key.strip());
            if (model != null) {
                remote.model(model);
            }
            return remote;
        }
        int context = config.runtimeContextLength();
        ServeConfig serve = new ServeConfig(
                "127.0.0.1",
                0,
                0.0,
                Set.of(),
                null,
                1 << 20,
                context,
                Math.max(1, maxTokens),
                Math.max(1, maxTokens),
                0,
                Duration.ofHours(1),
                context,
                config.runtimeThreads(),
                Duration.ofSeconds(10),
                1); // one user: one llama.cpp slot
        return new LocalChat(
                Stores.registry(config),
                Stores.conversations(config),
                serve,
                config.home().nativeDir(),
                model == null ? "champion" : model);
    }
}
