package dev.tanrenai.pipelines;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.schedule.SchedulerHost;
import dev.tanrenai.schedules.SchedulerService;
import dev.tanrenai.schedules.SchedulerSettings;
import dev.tanrenai.serve.Arm;
import dev.tanrenai.serve.ModelSlot;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline serve}: the OpenAI-compatible endpoint on the registry's champion and challenger. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the registry's champion (and challenger) on an OpenAI-compatible endpoint (/v1/chat/completions,",
            "/v1/completions, /v1/models, /v1/feedback, /health, /metrics, /admin/*) and Ollama's API (/api/chat,",
            "/api/generate, /api/tags, /api/show), logging every conversation to the store. Runs until interrupted",
            "(Ctrl-C), then finishes in-flight requests."
        })
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--host", paramLabel = "ADDR", description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "TCP port; 0 = any free one (default: ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(
            names = "--split",
            paramLabel = "SHARE",
            description = "Share of users sent to the challenger, 0..1 (default: ${DEFAULT-VALUE}).")
    double split = 0.0;

    @Option(
            names = "--api-keys-env",
            paramLabel = "VAR",
            description =
                    "Environment variable holding comma-separated client API keys (default: none, no client auth).")
    String apiKeysEnv;

    @Option(
            names = "--admin-key-env",
            paramLabel = "VAR",
            description =
                    "Environment variable holding the admin key (default: ${DEFAULT-VALUE}; admin routes are off when it is unset).")
    String adminKeyEnv = "TANRENAI_ADMIN_KEY";

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            description = "Largest max_tokens a client may ask for (default: ${DEFAULT-VALUE}).")
    int maxTokensLimit = 1024;

    @Option(
            names = "--queue",
            paramLabel = "N",
            description = "Requests that may wait per model before 429 (default: ${DEFAULT-VALUE}).")
    int queue = 8;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "llama.cpp slots per loaded model: requests generated at once, batched together, each"
                    + " slot with its own KV cache of the context length (default: ${DEFAULT-VALUE}).")
    int parallel = ServeConfig.DEFAULT_PARALLEL;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Bound on every generation (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 120;

    @Option(
            names = "--body-timeout",
            paramLabel = "SECONDS",
            description = "Bound on receiving a request body; a stalled or trickling client gets 408 (default:"
                    + " ${DEFAULT-VALUE}).")
    long bodyTimeoutSeconds = 10;

    @Option(
            names = "--watch",
            paramLabel = "SECONDS",
            description = "How often the registry aliases are re-read (default: ${DEFAULT-VALUE}; 0 = never).")
    long watchSeconds = 5;

    @Option(
            names = "--shadow",
            description = "The challenger also answers copies of champion requests, unseen by users; stored with"
                    + " source serve-shadow.")
    boolean shadow;

    @Option(
            names = "--scheduler",
            description = "Also fire the home's schedules (as `pipeline scheduler` does) in this process.")
    boolean scheduler;

    @Override
    public Integer call() throws InterruptedException {
        TanrenaiConfig config = common.config();
        Set<String> keys = Set.of();
        if (apiKeysEnv != null) {
            String value = System.getenv(apiKeysEnv);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(
                        "--api-keys-env: environment variable " + apiKeysEnv + " is not set");
            }
            keys = Set.copyOf(Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(k -> !k.isEmpty())
                    .toList());
        }
        String adminKey = adminKeyEnv == null ? null : System.getenv(adminKeyEnv);
        ServeConfig defaults = ServeConfig.defaults();
        ServeConfig serveConfig = new ServeConfig(
                host,
                port,
                split,
                keys,
                adminKey,
                defaults.maxBodyBytes(),
                Math.min(defaults.maxPromptTokens(), config.runtimeContextLength()),
                maxTokensLimit,
                Math.min(defaults.defaultMaxTokens(), maxTokensLimit),
                queue,
                Duration.ofSeconds(timeoutSeconds),
                config.runtimeContextLength(),
                config.runtimeThreads(),
                Duration.ofSeconds(bodyTimeoutSeconds),
                parallel);
        ServeServer server = ServeServer.start(
                serveConfig,
                Stores.registry(config),
                Stores.conversations(config),
                config.home().nativeDir(),
                watchSeconds);
        if (shadow) {
            server.state().setShadow(true, "--shadow");
        }
        SchedulerService started = null;
        if (scheduler) {
            try {
                started = SchedulerHost.start(config, SchedulerSettings.DEFAULTS, List.of());
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        SchedulerService schedules = started;
        if (schedules != null) {
            SchedulerHost.stopFirstOnSignal(schedules, 0);
        }
        Output out = common.output();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", "http://" + host + ":" + server.port() + "/v1");
        for (Arm arm : Arm.values()) {
            ModelSlot slot = server.state().slots().get(arm);
            result.put(arm.wireName(), slot == null ? null : slot.modelId());
        }
        String refused = server.state().slots().championUnavailable();
        if (refused != null) {
            result.put("championError", refused);
        }
        result.put("challengerShare", split);
        result.put("clientAuth", !keys.isEmpty());
        result.put("admin", adminKey != null);
        if (refused != null) {
            out.line("WARNING: " + refused + "; answering 503 until the alias watch loads a servable champion");
        }
        result.put("scheduler", schedules == null ? null : schedules.instanceId());
        out.line("serving on " + result.get("url") + ": champion " + result.get("champion")
                + (result.get("challenger") == null
                        ? ""
                        : ", challenger " + result.get("challenger") + " for " + Math.round(split * 100) + "% of users")
                + (keys.isEmpty() ? "; no client API keys" : "; client API keys required")
                + (adminKey == null ? "; admin routes off (set " + adminKeyEnv + ")" : "")
                + (schedules == null ? "" : "; scheduler " + schedules.instanceId() + " firing the home's schedules"));
        out.result(result);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                if (schedules != null) {
                                    schedules.close();
                                }
                            } finally {
                                server.close();
                                stopped.countDown();
                            }
                        },
                        "serve-shutdown"));
        stopped.await();
        return 0;
    }
}
