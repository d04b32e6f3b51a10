package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output that scripts can use: {@code --json} paths are plain file-system paths (never {@code
 * file://} URIs) in every command that prints one, and java-llama.cpp's "Extracted 'libjllama.so'
 * to ..." line appears only when the log level is INFO, never on standard output.
 */
class CliScriptOutputIT {

    @TempDir
    Path dir;

    @Test
    void jsonPathsArePlainFileSystemPaths() throws Exception {
        String home = dir.resolve("home").toString();
        Path model = dir.resolve("tiny.gguf");
        Path data = CliRunData.demo(dir);
        List<JsonNode> outputs = new ArrayList<>();
        outputs.add(CliRun.ok("models", "make-tiny", model.toString(), "--json").json());
        outputs.add(CliRun.ok("models", "add", model.toString(), "--home", home, "--json")
                .json());
        outputs.add(CliRun.ok("import", data.toString(), "--format", "openai", "--home", home, "--json")
                .json());
        outputs.add(CliRun.ok("datasets", "snapshot", "--home", home, "--json").json());
        outputs.add(CliRun.ok("run", "curate", "--home", home, "--json").json());
        JsonNode trained = CliRun.ok(
                        "run",
                        "train",
                        "--base",
                        model.toString(),
                        "--dataset",
                        "curated",
                        "--steps",
                        "2",
                        "--home",
                        home,
                        "--json")
                .json();
        outputs.add(trained);
        outputs.add(CliRun.ok("models", "list", "--home", home, "--json").json());
        outputs.add(CliRun.ok("datasets", "list", "--home", home, "--json").json());

        List<String> paths = new ArrayList<>();
        for (JsonNode output : outputs) {
            collect(output, "", paths);
        }
        assertTrue(paths.size() >= 8, "the commands print paths: " + paths);
        for (String p : paths) {
            String value = p.substring(p.indexOf('=') + 1);
            assertFalse(value.startsWith("file:"), "a URI where a path belongs: " + p);
            assertTrue(value.startsWith("/"), "an absolute path: " + p);
        }
        Path adapter = Path.of(trained.at("/adapter/path").asText());
        assertTrue(Files.isRegularFile(adapter), "the printed adapter path is the file: " + adapter);
        assertTrue(
                Files.isDirectory(Path.of(trained.at("/runDir").asText())),
                trained.at("/runDir").asText());
    }

    @Test
    void theNativeLibraryNoticeAppearsOnlyAtInfo() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        String[] generate = {
            "generate",
            "--model",
            model.toString(),
            "--prompt",
            "hello",
            "--max-tokens",
            "2",
            "--json",
            "--home",
            dir.resolve("home").toString()
        };

        Child quiet = child("warn", generate);
        assertEquals(0, quiet.exit, quiet.err);
        assertFalse(quiet.err.contains("Extracted"), "no notice at the CLI's default level:\n" + quiet.err);
        assertFalse(quiet.out.contains("Extracted"), quiet.out);
        new ObjectMapper().readTree(quiet.out); // standard output is the JSON result alone

        Child verbose = child("info", generate);
        assertEquals(0, verbose.exit, verbose.err);
        long notices = verbose.err
                .lines()
                .filter(l -> l.contains("Extracted 'libjllama.so' to "))
                .count();
        assertEquals(1, notices, "said once, at INFO:\n" + verbose.err);
        assertFalse(verbose.out.contains("Extracted"), verbose.out);
        new ObjectMapper().readTree(verbose.out);
    }

    private record Child(int exit, String out, String err) {}

    /** The CLI in a fresh JVM (the library loads once per JVM) with the log level ./pipeline sets. */
    private Child child(String logLevel, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel,
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCli.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("child-" + logLevel + ".out");
        Path err = dir.resolve("child-" + logLevel + ".err");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child finished");
        return new Child(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Every string field named like a path ("path", "...Dir", "...File", "...Path"), as name=value. */
    private static void collect(JsonNode node, String where, List<String> paths) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                String name = e.getKey();
                JsonNode value = e.getValue();
                boolean pathLike = name.equals("path")
                        || name.endsWith("Dir")
                        || name.endsWith("Path")
                        || name.endsWith("File")
                        || name.equals("directory");
                if (pathLike && value.isTextual() && !value.asText().isEmpty()) {
                    paths.add(where + "/" + name + "=" + value.asText());
                } else {
                    collect(value, where + "/" + name, paths);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), where + "/" + i, paths);
            }
        } else if (node.isTextual() && node.asText().startsWith("file:")) {
            paths.add(where + "=" + node.asText());
        }
    }
}
