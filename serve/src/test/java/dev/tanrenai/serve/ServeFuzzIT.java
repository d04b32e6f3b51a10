package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.serve.FuzzCorpus.Case;
import dev.tanrenai.serve.RawHttp.Answer;
import dev.tanrenai.serve.RawHttp.Step;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link FuzzCorpus} against a real server on loopback, six clients at a time: no case may get
 * a 5xx or go unanswered, a case only a 4xx fits must get one, a slow body is answered within its
 * timeout, request heads that never finish hold no worker, and the server is healthy afterwards
 * with no worker left busy. Bounded: a fixed corpus, each read bounded in time.
 */
class ServeFuzzIT {

    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final long SLOW_BOUND_MILLIS = BODY_TIMEOUT.toMillis() + 3000;
    private static final Pattern BUSY = Pattern.compile("(?m)^tanrenai_http_workers_busy (\\d+)$");

    @TempDir
    Path dir;

    @Test
    void theCorpusGetsNo5xxAndHoldsNoWorker() throws Exception {
        ServeConfig config =
                ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin").withBodyTimeout(BODY_TIMEOUT);
        try (ServeFixture fx = new ServeFixture(dir, config, ChallengerGuard.defaults())) {
            int port = fx.server.port();
            int idle = busyWorkers(port);
            List<Case> corpus = FuzzCorpus.all(config.maxBodyBytes());
            assertTrue(corpus.size() > 400 && corpus.size() < 1000, "a bounded corpus: " + corpus.size());

            long started = System.nanoTime();
            Map<Case, Answer> answers = new LinkedHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(6);
            try {
                Map<Case, Future<Answer>> pending = new LinkedHashMap<>();
                for (Case c : corpus) {
                    pending.put(c, clients.submit(() -> RawHttp.exchange(port, READ_TIMEOUT, c.steps())));
                }
                for (Map.Entry<Case, Future<Answer>> e : pending.entrySet()) {
                    answers.put(e.getKey(), e.getValue().get(2, TimeUnit.MINUTES));
                }
            } finally {
                clients.shutdownNow();
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000;

            List<String> failures = new ArrayList<>();
            Map<String, Map<Integer, Integer>> byKind = new TreeMap<>();
            answers.forEach((c, a) -> {
                byKind.computeIfAbsent(c.kind(), k -> new TreeMap<>()).merge(a.status(), 1, Integer::sum);
                String what = c.kind() + " / " + c.name() + ": " + abbreviate(a.toString());
                if (!a.answered() || a.status() >= 500) {
                    failures.add(what);
                } else if (c.clientError() && (a.status() < 400 || a.status() >= 500)) {
                    failures.add("expected a 4xx: " + what);
                } else if (c.kind().equals("slow") && a.millis() > SLOW_BOUND_MILLIS) {
                    failures.add("answered after the body timeout: " + what);
                }
            });
            System.out.println(
                    "fuzz corpus: " + corpus.size() + " cases in " + seconds + " s; statuses by kind: " + byKind);
            assertTrue(
                    failures.isEmpty(),
                    failures.size() + " of " + corpus.size() + " cases failed:\n" + String.join("\n", failures));

            List<Socket> open = new ArrayList<>();
            try {
                for (List<Step> steps : FuzzCorpus.neverFinishingHeads()) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    OutputStream out = s.getOutputStream();
                    for (Step step : steps) {
                        out.write(step.bytes());
                    }
                    out.flush();
                    open.add(s);
                }
                Thread.sleep(BODY_TIMEOUT.toMillis() + 1000);
                assertEquals(idle, busyWorkers(port), "a request that never finishes holds no worker past the timeout");
                ServeHardeningIT.assertHealthy(fx);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            ServeHardeningIT.assertHealthy(fx);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int busy = busyWorkers(port);
            while (busy > idle && System.nanoTime() < deadline) {
                Thread.sleep(100);
                busy = busyWorkers(port);
            }
            assertEquals(idle, busy, "no worker is left busy after the corpus");
        }
    }

    /** Workers busy now, as {@code /metrics} says (the request asking counts itself). */
    private static int busyWorkers(int port) {
        Answer metrics = RawHttp.exchange(port, READ_TIMEOUT, RawHttp.request("GET", "/metrics", ""));
        assertEquals(200, metrics.status(), metrics.toString());
        Matcher m = BUSY.matcher(metrics.body());
        assertTrue(m.find(), "no worker gauge in /metrics");
        return Integer.parseInt(m.group(1));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
