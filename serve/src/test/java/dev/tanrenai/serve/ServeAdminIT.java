package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion, rollback, alias watching, automatic rollback, back-pressure and graceful shutdown. */
class ServeAdminIT {

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    private static ServeConfig config(double share) {
        return ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin").withChallengerShare(share);
    }

    private HttpResponse<String> post(ServeFixture fx, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(fx.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> chat(ServeFixture fx, String user, int maxTokens) throws Exception {
        return post(
                fx,
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hello " + user
                        + "\"}],\"temperature\":0,\"max_tokens\":" + maxTokens + ",\"user\":\"" + user + "\"}");
    }

    @Test
    void promotionAndRollbackUnderConcurrentLoadFailNoRequest() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(0.5), ChallengerGuard.defaults())) {
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger served = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    int i = 0;
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = chat(fx, "u" + client + "-" + (i++), 6);
                            if (r.statusCode() != 200) {
                                failures.add(r.statusCode() + " " + r.body());
                            }
                            served.incrementAndGet();
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            Thread.sleep(300);
            HttpResponse<String> promoted = post(fx, "/admin/promote", "", "X-Admin-Key", "admin");
            assertEquals(200, promoted.statusCode(), promoted.body());
            assertEquals(
                    fx.adapterId, fx.server.state().slots().get(Arm.CHAMPION).modelId());
            assertEquals(
                    fx.adapterId, fx.registry.alias("champion").orElseThrow().id());
            assertEquals(0.0, fx.server.state().challengerShare());
            Thread.sleep(300);
            HttpResponse<String> rolledBack = post(fx, "/admin/rollback", "", "X-Admin-Key", "admin");
            assertEquals(200, rolledBack.statusCode(), rolledBack.body());
            assertEquals(fx.baseId, fx.server.state().slots().get(Arm.CHAMPION).modelId());
            Thread.sleep(300);
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertTrue(failures.isEmpty(), "failed requests: " + failures);
            assertTrue(served.get() > 20, "requests served during the swaps: " + served.get());
            List<String> history =
                    fx.registry.history("champion").stream().map(m -> m.toId()).toList();
            assertEquals(List.of(fx.baseId, fx.adapterId, fx.baseId), history);
        }
    }

    @Test
    void aCorruptAdapterIsRefusedAndTheCurrentModelKeepsServing() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(1.0), ChallengerGuard.defaults())) {
            Path other = dir.resolve("other.gguf");
            ServeFixture.writeAdapter(other, 9);
            String otherId = fx.registry
                    .addAdapter(other, fx.baseId, null, null, Map.of())
                    .id();
            Path registered = fx.registry.resolve(otherId).adapter().path();
            byte[] bytes = Files.readAllBytes(registered);
            // a flipped low mantissa byte of the last-but-one float: the value stays plausible (the
            // registry's validation passes it), only the SHA-256 no longer matches
            bytes[bytes.length - 8] ^= 0x55;
            Files.write(registered, bytes);
            fx.registry.moveAlias("challenger", otherId, "try the corrupt one", "test");
            fx.server.syncAliases();
            assertEquals(
                    fx.adapterId, fx.server.state().slots().get(Arm.CHALLENGER).modelId());
            assertTrue(
                    fx.server.state().events().stream()
                            .anyMatch(e ->
                                    e.kind().equals("refused") && e.reason().contains(otherId)),
                    fx.server.state().events().toString());
            assertEquals(200, chat(fx, "still", 4).statusCode());

            Path good = dir.resolve("good.gguf");
            ServeFixture.writeAdapter(good, 11);
            String goodId = fx.registry
                    .addAdapter(good, fx.baseId, null, null, Map.of())
                    .id();
            fx.registry.moveAlias("challenger", goodId, "a good one", "test");
            fx.server.syncAliases();
            assertEquals(goodId, fx.server.state().slots().get(Arm.CHALLENGER).modelId(), "the watch loads it");
            HttpResponse<String> r = chat(fx, "new", 4);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains(goodId), r.body());
        }
    }

    @Test
    void aChallengerCrossingTheLatencyThresholdLosesItsTraffic() throws Exception {
        ChallengerGuard impossible = new ChallengerGuard(4, 2, 0.5, 1e-9);
        try (ServeFixture fx = new ServeFixture(dir, config(1.0), impossible)) {
            assertTrue(chat(fx, "a", 4).body().contains(fx.adapterId), "all traffic to the challenger at first");
            chat(fx, "b", 4);
            assertEquals(0.0, fx.server.state().challengerShare());
            ChallengerGuard.Event event = fx.server.state().events().stream()
                    .filter(e -> e.kind().equals("rollback"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(event.reason().contains("p95 latency"), event.reason());
            assertTrue(chat(fx, "c", 4).body().contains(fx.baseId), "back on the champion");
            HttpResponse<String> split = post(fx, "/admin/split", "{\"challenger_share\":1}", "X-Admin-Key", "admin");
            assertEquals(200, split.statusCode(), split.body());
            assertEquals(1.0, fx.server.state().challengerShare());
        }
    }

    @Test
    void aFullQueueGets429AndShutdownFinishesInFlightRequests() throws Exception {
        ServeConfig config = config(0.0).withLimits(1 << 20, 2048, 0);
        ServeFixture fx = new ServeFixture(dir, config, ChallengerGuard.defaults());
        // with no queue there is one place per llama.cpp slot: occupy them all
        int places = fx.server.state().slots().get(Arm.CHAMPION).runtime().parallel();
        java.util.List<ModelSlot> held = new java.util.ArrayList<>();
        for (int i = 0; i < places; i++) {
            held.add(fx.server.state().slots().admit(Arm.CHAMPION));
        }
        HttpResponse<String> busy = chat(fx, "x", 4);
        assertEquals(429, busy.statusCode(), busy.body());
        assertTrue(busy.body().contains("queue_full"));
        held.forEach(ModelSlot::release);

        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return chat(fx, "long", 400);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (fx.server.state().slots().get(Arm.CHAMPION).inFlight() == 0 && !inFlight.isDone()) {
            Thread.onSpinWait();
        }
        fx.close();
        HttpResponse<String> finished = inFlight.get();
        assertEquals(200, finished.statusCode(), finished.body());
        assertNotNull(finished.body());
    }
}
