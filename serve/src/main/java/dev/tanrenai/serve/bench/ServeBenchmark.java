package dev.tanrenai.serve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.CancellationToken;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates with a model through java-llama.cpp directly, through the endpoint, and optionally
 * through a peer OpenAI-compatible server (native llama.cpp {@code llama-server}), each at several
 * client concurrencies, and reports tokens/s, time to first token and latency percentiles. Every
 * request is a greedy streamed chat completion of {@code maxTokens} tokens; each endpoint client is
 * its own user, so the router and the logging run for real. "Directly" still includes the binding's
 * own per-token cost (one JNI call per token).
 */
public final class ServeBenchmark {

    /**
     * One measured configuration.
     *
     * @param slots llama.cpp slots serving it (0: unknown, a peer's own setting)
     */
    public record Run(
            String mode,
            int clients,
            int slots,
            int requests,
            long tokens,
            double seconds,
            double tokensPerSecond,
            double p50Seconds,
            double p99Seconds,
            double ttftP50Seconds,
            double ttftP99Seconds) {}

    /** One request's figures. */
    private record Sample(double seconds, double ttftSeconds, long tokens) {}

    private interface Client {
        Sample request(int client, int i) throws IOException, InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeBenchmark() {}

    /**
     * @param model the GGUF to serve (registered in a scratch home under {@code workDir})
     * @param slots llama.cpp slots for the direct runtime and the endpoint
     * @param peerUrl base URL of a peer OpenAI-compatible server serving the same model, or null
     * @param requestsPerClient requests each client sends
     */
    public static List<Run> run(
            Path model,
            Path workDir,
            Path nativeDir,
            int[] concurrencies,
            int slots,
            String peerUrl,
            int requestsPerClient,
            int maxTokens)
            throws IOException, InterruptedException {
        TanrenaiHome home = new TanrenaiHome(workDir).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        ModelRegistry registry = new ModelRegistry(db, home);
        String id = registry.addBaseModel(model, null, false).id();
        if (registry.alias("champion").isEmpty()) {
            registry.moveAlias("champion", id, "serve benchmark", "bench");
        }
        ServeConfig config =
                ServeConfig.defaults().withPort(0).withLimits(1 << 20, 2048, 64).withParallel(slots);
        List<Run> runs = new ArrayList<>();
        try (LlamaRuntime runtime = LlamaRuntime.load(
                RuntimeOptions.defaults(model, nativeDir)
                        .withContextLength(config.contextLength())
                        .withThreads(config.threads()),
                slots)) {
            Client direct = (client, i) -> {
                String prompt = runtime.applyChatTemplate(List.of(Message.user(question(client, i))), true);
                long t = System.nanoTime();
                long[] first = {0};
                Completion c = runtime.stream(
                        new GenerationRequest(prompt, maxTokens, 0f, 1f, 42, List.of(), config.timeout()),
                        piece -> {
                            if (first[0] == 0) {
                                first[0] = System.nanoTime();
                            }
                        },
                        new CancellationToken());
                return new Sample(seconds(t), first[0] == 0 ? Double.NaN : (first[0] - t) / 1e9, c.tokenCount());
            };
            for (int clients : concurrencies) {
                runs.add(measure("direct java-llama.cpp", clients, slots, requestsPerClient, direct));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        try (ServeServer server = ServeServer.start(config, registry, new ConversationStore(db), nativeDir, 0)) {
            String url = "http://127.0.0.1:" + server.port();
            for (int clients : concurrencies) {
                runs.add(measure(
                        "endpoint",
                        clients,
                        slots,
                        requestsPerClient,
                        (client, i) -> streamed(http, url, clients, client, i, maxTokens)));
            }
        }
        if (peerUrl != null) {
            String base = peerUrl.endsWith("/") ? peerUrl.substring(0, peerUrl.length() - 1) : peerUrl;
            for (int clients : concurrencies) {
                runs.add(measure(
                        "peer " + base,
                        clients,
                        0,
                        requestsPerClient,
                        (client, i) -> streamed(http, base, clients, client, i, maxTokens)));
            }
        }
        return runs;
    }

    private static Run measure(String mode, int clients, int slots, int requestsPerClient, Client client)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int k = c;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < requestsPerClient; i++) {
                    samples.add(client.request(k, i));
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IOException(
                    mode + ": a benchmark client failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double wall = seconds(t0);
        double[] latency =
                samples.stream().mapToDouble(Sample::seconds).sorted().toArray();
        double[] ttft = samples.stream()
                .mapToDouble(Sample::ttftSeconds)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
        long tokens = samples.stream().mapToLong(Sample::tokens).sum();
        return new Run(
                mode,
                clients,
                slots,
                latency.length,
                tokens,
                wall,
                tokens / wall,
                percentile(latency, 0.5),
                percentile(latency, 0.99),
                percentile(ttft, 0.5),
                percentile(ttft, 0.99));
    }

    /** A greedy streamed chat completion; tokens from the usage chunk (or one per content chunk without it). */
    private static Sample streamed(HttpClient http, String base, int clients, int client, int i, int maxTokens)
            throws IOException, InterruptedException {
        String body = JSON.createObjectNode()
                .put("temperature", 0)
                .put("max_tokens", maxTokens)
                .put("seed", 42)
                .put("stream", true)
                .put("user", "bench-" + clients + "-" + client)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                        "stream_options", JSON.createObjectNode().put("include_usage", true))
                .set(
                        "messages",
                        JSON.createArrayNode()
                                .add(JSON.createObjectNode().put("role", "user").put("content", question(client, i))))
                .toString();
        long t = System.nanoTime();
        HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long chunks = 0;
        long usage = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            if (r.statusCode() != 200) {
                throw new IOException(base + " answered " + r.statusCode() + ": " + in.readLine());
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (chunk.has("error")) {
                    throw new IOException(base + " failed mid-stream: " + chunk.get("error"));
                }
                JsonNode content = chunk.at("/choices/0/delta/content");
                if (content.isTextual() && !content.asText().isEmpty()) {
                    chunks++;
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                }
                if (chunk.at("/usage/completion_tokens").isNumber()) {
                    usage = chunk.at("/usage/completion_tokens").asLong();
                }
            }
        }
        return new Sample(seconds(t), first == 0 ? Double.NaN : (first - t) / 1e9, usage >= 0 ? usage : chunks);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String question(int client, int i) {
        return "Question " + i + " from client " + client + ": how long should I temper a chisel?";
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
