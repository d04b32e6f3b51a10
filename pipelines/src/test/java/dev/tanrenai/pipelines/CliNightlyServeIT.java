package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.pipelines.loop.NightlyExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving picks the nightly run's champion up, end to end: a real {@code pipeline serve} process (alias
 * watch every second) answers a client that never stops sending requests while {@code pipeline run
 * nightly} trains, evaluates and promotes; the answers then come from the new champion (the response's
 * {@code model} and {@code /v1/models}' champion arm name the promoted adapter) and no request fails
 * during the swap.
 */
class CliNightlyServeIT {

    private static final String CHAT = "{\"model\":\"champion\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"where does the dog number 3 sleep\"}],\"max_tokens\":4,\"temperature\":0}";

    @TempDir
    Path dir;

    record Answer(long at, int status, String model, String error) {}

    @Test
    void theServedModelBecomesThePromotedChampionAndNoRequestFailsDuringTheSwap() throws Exception {
        Path home = dir.resolve("home");
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--name", "tiny", "--home", home.toString());
        CliRun.ok("models", "alias", "champion", "tiny", "--reason", "start", "--home", home.toString());
        String base = CliRun.ok("models", "list", "--home", home.toString(), "--json")
                .json()
                .at("/baseModels/0/id")
                .asText();
        Files.writeString(
                home.resolve("permissive.yaml"),
                "version: 1\nretention:\n  max_kl_mean: 1000\n  max_bits_per_byte_increase: 1000\n");
        Files.writeString(
                home.resolve("config.yaml"),
                "nightly:\n  minConversations: 10\n  policy: permissive.yaml\n  generalDocuments: 20\n"
                        + "  train:\n    steps: 30\n    learningRate: 0.005\n    maxLength: 128\n"
                        + "  curate:\n    heldout: 0.25\n    dedupeThreshold: 0.99\n");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            lines.add("{\"id\":\"fact" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"where does the dog"
                    + " number " + i + " sleep\"},{\"role\":\"assistant\",\"content\":\"the dog sleeps in the red"
                    + " basket " + (i % 5) + "\"}]}");
        }
        Path data = dir.resolve("facts.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home.toString());

        Path out = dir.resolve("serve.out");
        Process serve = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "serve",
                        "--home",
                        home.toString(),
                        "--port",
                        "0",
                        "--watch",
                        "1")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Answer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread client = null;
        try {
            int port = awaitPort(serve, out);
            URI chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
            client = new Thread(() -> {
                while (!stop.get()) {
                    answers.add(ask(http, chat));
                }
            });
            client.start();
            awaitAnswers(answers, 3, serve, out);
            assertEquals(base, answers.get(0).model(), "the base model serves first: " + answers.get(0));

            CliRun r = CliRun.run("run", "nightly", "--home", home.toString(), "--json");
            assertEquals(NightlyExitCodes.OK, r.exitCode(), r.out() + r.err());
            JsonNode run = r.json();
            assertEquals("promoted", run.at("/state").asText(), run.toString());
            String adapter = run.at("/stages/2/output/adapter").asText();
            assertTrue(adapter.startsWith("a-"), run.toString());
            long promotedAt = System.currentTimeMillis();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answers.stream().noneMatch(a -> adapter.equals(a.model()))) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "the served model never became " + adapter + ": "
                                + answers.subList(Math.max(0, answers.size() - 5), answers.size()) + "\n"
                                + Files.readString(out));
                assertTrue(serve.isAlive(), Files.readString(out));
                Thread.sleep(200);
            }
            int switched = answers.size();
            awaitAnswers(answers, switched + 3, serve, out);
            stop.set(true);
            client.join(60_000);

            JsonNode models = new ObjectMapper()
                    .readTree(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            String servedByArm = null;
            for (JsonNode m : models.at("/data")) {
                if ("arm".equals(m.at("/kind").asText())
                        && "champion".equals(m.at("/id").asText())) {
                    servedByArm = m.at("/serves").asText();
                }
            }
            assertEquals(adapter, servedByArm, "/v1/models: " + models);

            List<Answer> failed =
                    answers.stream().filter(a -> a.status() != 200).toList();
            assertTrue(failed.isEmpty(), failed.size() + " of " + answers.size() + " requests failed: " + failed);
            // one swap, base -> adapter, never back; the adapter answers only after the promotion
            int first = -1;
            for (int i = 0; i < answers.size(); i++) {
                Answer a = answers.get(i);
                if (first < 0 && adapter.equals(a.model())) {
                    first = i;
                    assertTrue(a.at() <= System.currentTimeMillis() && a.at() >= promotedAt - 120_000, a.toString());
                }
                assertEquals(first < 0 ? base : adapter, a.model(), "answer " + i + " of " + answers);
            }
            System.out.println("[serve-pickup] " + answers.size() + " requests, all 200; swap after answer " + first
                    + "; " + (answers.get(first).at() - promotedAt) + " ms after run nightly returned");
        } finally {
            stop.set(true);
            if (client != null) {
                client.join(60_000);
            }
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
    }

    private static Answer ask(HttpClient http, URI chat) {
        long at = System.currentTimeMillis();
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(chat)
                            .timeout(Duration.ofSeconds(120))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String model = r.statusCode() == 200
                    ? new ObjectMapper().readTree(r.body()).at("/model").asText()
                    : null;
            return new Answer(at, r.statusCode(), model, r.statusCode() == 200 ? null : r.body());
        } catch (Exception e) {
            return new Answer(at, -1, null, e.toString());
        }
    }

    private static void awaitAnswers(List<Answer> answers, int n, Process serve, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (answers.size() < n) {
            assertTrue(System.nanoTime() < deadline, "no answers: " + answers + "\n" + Files.readString(out));
            assertTrue(serve.isAlive(), Files.readString(out));
            Thread.sleep(100);
        }
    }

    private static int awaitPort(Process serve, Path out) throws Exception {
        Pattern url = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)/v1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = url.matcher(Files.readString(out));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!serve.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("pipeline serve did not start:\n" + Files.readString(out));
    }
}
