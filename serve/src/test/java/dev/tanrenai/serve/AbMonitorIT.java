package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.experiment.Decision;
import dev.tanrenai.experiment.ExperimentConfig;
import dev.tanrenai.experiment.Experiments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 in the serving process (real llama.cpp on tiny models, real HTTP, real SQLite store): the
 * running experiment gives the challenger its share, users stay on their arm when the split is raised,
 * ratings sent to /v1/feedback drive a promotion, the champion alias moves and the served model changes
 * while clients keep asking, without a failed request; /admin/ab, /admin/events and /metrics show it.
 */
class AbMonitorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void feedbackDrivesAPromotionWithStickyUsersAndNoFailedRequest() throws Exception {
        ServeConfig config =
                ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin").withChallengerShare(0);
        try (ServeFixture fx = new ServeFixture(dir, config, ChallengerGuard.defaults())) {
            Experiments experiments = new Experiments(fx.store, fx.registry);
            experiments.start(
                    fx.adapterId, 0.4, ExperimentConfig.defaults().withMinUsersPerArm(5), Instant.now(), "test");
            assertEquals(
                    Decision.CONTINUE,
                    fx.server.ab().tick().orElseThrow().verdict().decision());
            assertEquals(0.4, fx.server.state().challengerShare());

            Map<String, String> arms = new HashMap<>();
            Map<String, String> conversations = new HashMap<>();
            for (int u = 0; u < 30; u++) {
                HttpResponse<String> r = chat(fx, "user" + u);
                assertEquals(200, r.statusCode(), r.body());
                arms.put("user" + u, r.headers().firstValue("X-Tanrenai-Arm").orElseThrow());
                conversations.put(
                        "user" + u, r.headers().firstValue("X-Conversation-Id").orElseThrow());
            }
            long onChallenger =
                    arms.values().stream().filter("challenger"::equals).count();
            assertTrue(onChallenger >= 5 && onChallenger <= 25, "challenger users " + onChallenger);
            // raising the split: challenger users stay, only champion users may move over
            assertEquals(
                    200,
                    post(fx, "/admin/split", "{\"challenger_share\":0.7}", "X-Admin-Key", "admin")
                            .statusCode());
            for (int u = 0; u < 30; u++) {
                String arm = chat(fx, "user" + u)
                        .headers()
                        .firstValue("X-Tanrenai-Arm")
                        .orElseThrow();
                if (arms.get("user" + u).equals("challenger")) {
                    assertEquals("challenger", arm, "user" + u + " moved off the challenger");
                }
            }
            assertEquals(
                    200,
                    post(fx, "/admin/split", "{\"challenger_share\":0.4}", "X-Admin-Key", "admin")
                            .statusCode());
            for (int u = 0; u < 30; u++) {
                String arm = chat(fx, "user" + u)
                        .headers()
                        .firstValue("X-Tanrenai-Arm")
                        .orElseThrow();
                assertEquals(arms.get("user" + u), arm, "back at the old split, user" + u + " is on its old arm");
            }
            // the challenger's answers are liked, the champion's are not
            for (int u = 0; u < 30; u++) {
                String rating = arms.get("user" + u).equals("challenger") ? "\"up\"" : "\"down\"";
                HttpResponse<String> f = post(
                        fx,
                        "/v1/feedback",
                        "{\"conversation_id\":\"" + conversations.get("user" + u) + "\",\"message_index\":1,\"rating\":"
                                + rating + "}");
                assertEquals(200, f.statusCode(), f.body());
            }
            JsonNode status = JSON.readTree(get(fx, "/admin/ab").body());
            assertEquals("running", status.at("/experiment/status").asText(), status.toString());
            assertEquals(
                    onChallenger, status.at("/current/challenger/ratedUsers").asLong(), status.toString());

            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread client = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    try {
                        HttpResponse<String> r = chat(fx, "load" + (i++));
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            client.start();
            Thread.sleep(200);
            assertEquals(
                    Decision.PROMOTE,
                    fx.server.ab().tick().orElseThrow().verdict().decision());
            Thread.sleep(300);
            running.set(false);
            client.join();
            assertTrue(failures.isEmpty(), failures.toString());
            assertEquals(
                    fx.adapterId, fx.registry.alias("champion").orElseThrow().id());
            assertTrue(fx.registry.alias("challenger").isEmpty());
            assertEquals(
                    fx.adapterId, fx.server.state().slots().get(Arm.CHAMPION).modelId());
            assertEquals(0.0, fx.server.state().challengerShare());
            assertTrue(chat(fx, "after").body().contains(fx.adapterId), "the promoted model answers");
            String events = get(fx, "/admin/events").body();
            assertTrue(events.contains("promote: challenger rating rate better"), events);
            JsonNode after = JSON.readTree(get(fx, "/admin/ab").body());
            assertEquals("promoted", after.at("/experiment/status").asText(), after.toString());
            assertTrue(fx.registry
                    .history("champion")
                    .get(fx.registry.history("champion").size() - 1)
                    .reason()
                    .contains("rating rate"));
        }
    }

    @Test
    void whenTheServingGuardRollsTheChallengerBackTheExperimentEndsRolledBack() throws Exception {
        ServeConfig config =
                ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin").withChallengerShare(0);
        // a guard no answer can pass: any latency above a microsecond rolls back after 2 generations
        try (ServeFixture fx = new ServeFixture(dir, config, new ChallengerGuard(5, 2, 0.5, 1e-6))) {
            Experiments experiments = new Experiments(fx.store, fx.registry);
            String id = experiments
                    .start(fx.adapterId, 1.0 - 1e-9, ExperimentConfig.defaults(), Instant.now(), "test")
                    .id();
            fx.server.ab().tick();
            for (int u = 0; u < 3; u++) {
                assertEquals(200, chat(fx, "user" + u).statusCode());
            }
            assertEquals(0.0, fx.server.state().challengerShare(), "the guard tripped");
            fx.server.ab().tick();
            assertEquals(
                    dev.tanrenai.experiment.Experiment.Status.ROLLED_BACK,
                    experiments.store().get(id).orElseThrow().status());
            assertTrue(fx.registry.alias("challenger").isEmpty());
            assertTrue(
                    get(fx, "/admin/events").body().contains("rollback: the serving guard rolled the challenger back"));
            assertEquals(fx.baseId, fx.registry.alias("champion").orElseThrow().id());
        }
    }

    @Test
    void gaugesShowTheRunningExperiment() throws Exception {
        ServeConfig config =
                ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin").withChallengerShare(0);
        try (ServeFixture fx = new ServeFixture(dir, config, ChallengerGuard.defaults())) {
            assertTrue(get(fx, "/metrics").body().contains("tanrenai_ab_running 0"));
            new Experiments(fx.store, fx.registry)
                    .start(fx.adapterId, 0.5, ExperimentConfig.defaults(), Instant.now(), "test");
            fx.server.ab().tick();
            String metrics = get(fx, "/metrics").body();
            assertTrue(metrics.contains("tanrenai_ab_running 1"), metrics);
            assertTrue(metrics.contains("tanrenai_ab_users{arm=\"challenger\"} 0"), metrics);
        }
    }

    private HttpResponse<String> chat(ServeFixture fx, String user) throws Exception {
        return post(
                fx,
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hello " + user
                        + "\"}],\"temperature\":0,\"max_tokens\":3,\"user\":\"" + user + "\"}");
    }

    private HttpResponse<String> get(ServeFixture fx, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(fx.url() + path))
                        .header("X-Admin-Key", "admin")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ServeFixture fx, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(fx.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
