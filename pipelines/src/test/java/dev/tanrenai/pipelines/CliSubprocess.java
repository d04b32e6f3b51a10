package dev.tanrenai.pipelines;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code pipeline} CLI in its own JVM (this test's classpath), with standard input from a string:
 * for commands that read the terminal, such as {@code pipeline chat} on a pipe.
 */
record CliSubprocess(int exitCode, String out, String err) {

    static CliSubprocess run(Path workDir, String stdin, Duration timeout, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + workDir,
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCli.class.getName()));
        cmd.addAll(args);
        Path out = workDir.resolve("subprocess.out");
        Path err = workDir.resolve("subprocess.err");
        Process p = new ProcessBuilder(cmd)
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pipeline " + String.join(" ", args) + " did not end within " + timeout
                    + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
        }
        return new CliSubprocess(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
