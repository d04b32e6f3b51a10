package dev.tanrenai.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One in-process run of the {@code pipeline} CLI with its exit code and captured output. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCli.execute(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and requires exit code 0. */
    static CliRun ok(String... args) {
        CliRun r = run(args);
        if (r.exitCode != 0) {
            throw new AssertionError("pipeline " + String.join(" ", args) + " exited " + r.exitCode + "\nstdout:\n"
                    + r.out + "\nstderr:\n" + r.err);
        }
        return r;
    }

    JsonNode json() {
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON:\n" + out, e);
        }
    }
}
