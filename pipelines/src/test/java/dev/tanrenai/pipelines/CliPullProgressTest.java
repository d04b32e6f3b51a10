package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline models pull} shows its progress on standard error while a local HTTP server sends the
 * file in ten slow pieces: rising percentages with the byte counts, ending at 100%.
 */
class CliPullProgressTest {

    @TempDir
    Path dir;

    @Test
    void pullPrintsRisingProgressToOneHundredPercent() throws Exception {
        Path source = dir.resolve("source.gguf");
        String sha = TinyModelMaker.write(TinyModelSpec.qwen2Default(), source);
        byte[] bytes = Files.readAllBytes(source);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/m/slow.gguf", ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                int piece = bytes.length / 10 + 1;
                for (int at = 0; at < bytes.length; at += piece) {
                    out.write(bytes, at, Math.min(piece, bytes.length - at));
                    out.flush();
                    Thread.sleep(30);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the bar writes to System.err
            CliRun.ok(
                    "models",
                    "pull",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/m/slow.gguf",
                    "--sha256",
                    sha,
                    "--home",
                    dir.resolve("home").toString());
        } finally {
            System.setErr(stderr);
            server.stop(0);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("pull slow.gguf ["))
                .toList();
        Pattern percent = Pattern.compile("\\]\\s+(\\d+)% (\\S+)/(\\S+) elapsed");
        String total = String.format(java.util.Locale.ROOT, "%.1fk", bytes.length / 1024.0); // 0.5 MiB: in KiB
        int previous = -1;
        for (String line : lines) {
            Matcher m = percent.matcher(line);
            assertTrue(m.find(), line);
            int p = Integer.parseInt(m.group(1));
            assertTrue(p > previous, "percentages rise: " + lines);
            previous = p;
            assertEquals(total, m.group(3), line);
        }
        assertTrue(lines.size() >= 4, "progress while downloading, not only at the end: " + lines);
        assertTrue(lines.get(lines.size() - 1).contains("100% " + total + "/" + total), lines.toString());
    }
}
