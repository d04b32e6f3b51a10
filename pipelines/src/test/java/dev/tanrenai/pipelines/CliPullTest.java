package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline models pull} against a local HTTP server: download, verify, register. */
class CliPullTest {

    @TempDir
    Path dir;

    @Test
    void pullDownloadsVerifiesAndRegisters() throws Exception {
        Path source = dir.resolve("source.gguf");
        String sha = TinyModelMaker.write(TinyModelSpec.qwen2Default(), source);
        byte[] bytes = Files.readAllBytes(source);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/org/repo/resolve/main/tiny-qwen.gguf", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/org/repo/resolve/main/tiny-qwen.gguf";
            String home = dir.resolve("home").toString();
            JsonNode first = CliRun.ok(
                            "models", "pull", url, "--sha256", sha, "--alias", "champion", "--home", home, "--json")
                    .json();
            assertTrue(first.at("/download/verified").asBoolean());
            assertEquals("qwen2", first.at("/model/architecture").asText());
            assertEquals("tiny-qwen", first.at("/model/name").asText());
            assertEquals(
                    first.at("/model/id").asText(), first.at("/aliasMove/toId").asText());
            assertTrue(Files.exists(dir.resolve("home/models/tiny-qwen.gguf")));

            JsonNode again = CliRun.ok("models", "pull", url, "--sha256", sha, "--home", home, "--json")
                    .json();
            assertTrue(again.at("/download/alreadyPresent").asBoolean());
            assertEquals(1, requests.get(), "a verified file is not fetched twice");

            CliRun wrong = CliRun.run("models", "pull", url.replace("tiny-qwen", "other"), "--home", home);
            assertEquals(1, wrong.exitCode());
            assertTrue(wrong.err().contains("HTTP 404"), wrong.err());

            CliRun notGguf = CliRun.run("models", "pull", "http://127.0.0.1:1/x.bin", "--home", home);
            assertEquals(1, notGguf.exitCode());
            assertTrue(notGguf.err().contains("must name a .gguf file"), notGguf.err());
        } finally {
            server.stop(0);
        }
    }
}
