package dev.tanrenai.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A real pseudo-terminal: a detached tmux session on a private socket running one command, driven
 * with {@code send-keys} and read with {@code capture-pane}.
 */
final class Tmux implements AutoCloseable {
    private final String socket =
            "tanrenai-test-" + UUID.randomUUID().toString().substring(0, 8);

    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts {@code command} (a shell command line) in a 160x50 window; the pane stays after it exits. */
    Tmux(String command) throws IOException, InterruptedException {
        tmux("new-session", "-d", "-x", "160", "-y", "50", command + "; echo '[process exited]' $?; sleep 600");
    }

    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    /** Types {@code text} literally (no key names), then nothing else. */
    void type(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", "0", "-l", text);
    }

    /** The pane with its scroll-back. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", "0", "-S", "-2000");
    }

    /** Waits until the screen satisfies {@code condition}, failing with the screen after {@code timeout}. */
    String await(String what, Duration timeout, Predicate<String> condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = screen();
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; the terminal shows:\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "-L", socket, "kill-server").start().waitFor();
    }
}
