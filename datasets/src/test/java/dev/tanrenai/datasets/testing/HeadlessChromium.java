package dev.tanrenai.datasets.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless {@code chromium} for the {@code *BrowserIT} tier (the HTML reports): where it is,
 * running it on a page, and which requests a page started according to chromium's NetLog.
 *
 * <p>Every run uses {@code --headless --disable-gpu --no-sandbox}, a throwaway {@code --user-data-dir}
 * and {@code --host-resolver-rules="MAP * ~NOTFOUND"}, so no request could leave the machine anyway.
 */
public final class HeadlessChromium {

    /** Longest a single chromium run may take. */
    public static final long TIMEOUT_SECONDS = 120;

    private HeadlessChromium() {}

    /** {@code -Dtanrenai.chromium}, else {@code chromium} or {@code chromium-browser} on the PATH. */
    public static Optional<Path> locate() {
        String configured = System.getProperty("tanrenai.chromium");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code chromium} on {@code page} with {@code extra} flags, its output under {@code tmp} as
     * {@code name.out} and {@code name.err}; returns its stdout.
     *
     * @throws AssertionError when it runs over {@link #TIMEOUT_SECONDS} or exits with an error
     */
    public static String run(Path chromium, Path tmp, String name, Path page, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "profile-" + name),
                "--host-resolver-rules=MAP * ~NOTFOUND"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "chromium did not finish in " + TIMEOUT_SECONDS + " s on " + page + "; stderr in " + err);
        }
        if (p.exitValue() != 0) {
            String stderr = Files.readString(err);
            throw new AssertionError("chromium exit code " + p.exitValue() + " on " + page + ": "
                    + (stderr.length() > 2000 ? stderr.substring(stderr.length() - 2000) : stderr));
        }
        return Files.readString(out);
    }

    /**
     * URLs of requests started by a page (not by the browser itself) in a NetLog file
     * ({@code --log-net-log}): {@code URL_REQUEST_START_JOB} events whose initiator is an origin or
     * whose isolation key names {@code file://}. The browser's own background requests have the
     * initiator "not an origin".
     */
    public static List<String> pageRequests(Path netlog) throws IOException {
        JsonNode log = new ObjectMapper().readTree(netlog.toFile());
        JsonNode type = log.path("constants").path("logEventTypes").get("URL_REQUEST_START_JOB");
        if (type == null) {
            throw new AssertionError("the NetLog names no URL_REQUEST_START_JOB event type: " + netlog);
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode e : log.path("events")) {
            JsonNode params = e.path("params");
            if (e.path("type").asInt() != type.asInt() || !params.has("url")) {
                continue;
            }
            boolean fromPage = !"not an origin".equals(params.path("initiator").asText())
                    || params.path("network_isolation_key").asText().contains("file://");
            if (fromPage) {
                urls.add(params.path("url").asText());
            }
        }
        return urls;
    }
}
