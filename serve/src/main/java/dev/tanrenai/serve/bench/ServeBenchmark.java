package dev.tanrenai.serve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.serve.ServeConfig;
import dev.tanrenai.serve.ServeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates with a model directly through java-llama.cpp, then through the endpoint at several
 * client concurrencies (each client its own user, so the router and the logging run for real), and
 * reports tokens/s and latency percentiles: the cost of routing, HTTP and logging.
 */
public final class ServeBenchmark {

    /** One measured configuration. */
    public record Run(
            String mode,
            int clients,
            int requests,
            long tokens,
            double seconds,
            double tokensPerSecond,
            double p50Seconds,
            double p99Seconds) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeBenchmark() {}

    /**
     * @param model the GGUF to serve (registered in a scratch home under {@code workDir})
     * @param requestsPerClient requests each client sends
     */
    public static List<Run> run(
            Path model, Path workDir, Path nativeDir, int[] concurrencies, int requestsPerClient, int maxTokens)
            throws IOException, InterruptedException {
        TanrenaiHome home = new TanrenaiHome(workDir).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        ModelRegistry registry = new ModelRegistry(db, home);
        String id = registry.addBaseModel(model, null, false).id();
        if (registry.alias("champion").isEmpty()) {
            registry.moveAlias("champion", id, "serve benchmark", "bench");
        }
        ServeConfig config = ServeConfig.defaults().withPort(0).withLimits(1 << 20, 2048, 64);
        List<Run> runs = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        long directTokens = 0;
        long started;
        try (LlamaRuntime runtime = LlamaRuntime.load(RuntimeOptions.defaults(model, nativeDir)
                .withContextLength(config.contextLength())
                .withThreads(config.threads()))) {
            int total = requestsPerClient * 2;
            started = System.nanoTime(); // after loading: the endpoint's runs do not count loading either
            for (int i = 0; i < total; i++) {
                String prompt = runtime.applyChatTemplate(List.of(Message.user(question(0, i))), true);
                long t = System.nanoTime();
                Completion c = runtime.complete(
                        new GenerationRequest(prompt, maxTokens, 0f, 1f, 42, List.of(), config.timeout()));
                direct.add((System.nanoTime() - t) / 1e9);
                directTokens += c.tokenCount();
            }
            runs.add(summary("direct java-llama.cpp", 1, direct, directTokens, (System.nanoTime() - started) / 1e9));
        }
        try (ServeServer server = ServeServer.start(config, registry, new ConversationStore(db), nativeDir, 0)) {
            String url = "http://127.0.0.1:" + server.port() + "/v1/chat/completions";
            HttpClient http = HttpClient.newHttpClient();
            for (int clients : concurrencies) {
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<long[]>> futures = new ArrayList<>();
                List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
                long t0 = System.nanoTime();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    futures.add(pool.submit(() -> {
                        long tokens = 0;
                        for (int i = 0; i < requestsPerClient; i++) {
                            String body = JSON.createObjectNode()
                                    .put("temperature", 0)
                                    .put("max_tokens", maxTokens)
                                    .put("seed", 42)
                                    .put("user", "bench-" + clients + "-" + client)
                                    .set(
                                            "messages",
                                            JSON.createArrayNode()
                                                    .add(JSON.createObjectNode()
                                                            .put("role", "user")
                                                            .put("content", question(client, i))))
                                    .toString();
                            long t = System.nanoTime();
                            HttpResponse<String> r = http.send(
                                    HttpRequest.newBuilder(URI.create(url))
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            latencies.add((System.nanoTime() - t) / 1e9);
                            if (r.statusCode() != 200) {
                                throw new IOException("the endpoint answered " + r.statusCode() + ": " + r.body());
                            }
                            JsonNode json = JSON.readTree(r.body());
                            tokens += json.at("/usage/completion_tokens").asLong();
                        }
                        return new long[] {tokens};
                    }));
                }
                long tokens = 0;
                for (Future<long[]> f : futures) {
                    try {
                        tokens += f.get()[0];
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IOException(
                                "a benchmark client failed: " + e.getCause().getMessage(), e.getCause());
                    }
                }
                pool.shutdown();
                runs.add(summary("endpoint", clients, latencies, tokens, (System.nanoTime() - t0) / 1e9));
            }
        }
        return runs;
    }

    private static String question(int client, int i) {
        return "Question " + i + " from client " + client + ": how long should I temper a chisel?";
    }

    private static Run summary(String mode, int clients, List<Double> latencies, long tokens, double seconds) {
        double[] sorted =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Run(
                mode,
                clients,
                sorted.length,
                tokens,
                seconds,
                tokens / seconds,
                percentile(sorted, 0.5),
                percentile(sorted, 0.99));
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
