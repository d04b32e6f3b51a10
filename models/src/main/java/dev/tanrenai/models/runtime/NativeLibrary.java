package dev.tanrenai.models.runtime;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the directory java-llama.cpp extracts its native library into.
 *
 * <p>{@code de.kherud.llama.LlamaLoader} reads the system property {@code de.kherud.llama.tmpdir}
 * (falling back to {@code java.io.tmpdir}) once, when {@code LlamaModel} is first initialised, and
 * fails with {@code UnsatisfiedLinkError} if that directory does not exist. So the directory must be
 * created and the property set before any code touches {@code LlamaModel}.
 *
 * <p>The binding's loader prints a line to standard output when it extracts the library, and
 * llama.cpp logs every load to standard error. Standard output belongs to a command's result (and
 * its {@code --json}), so the library is loaded here with standard output pointed at standard
 * error, and llama.cpp's log is routed to the SLF4J logger {@code llama.cpp} (silent below WARN in
 * the CLI unless {@code TANRENAI_LOG_LEVEL=info}).
 */
final class NativeLibrary {
    static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";

    private static final Logger LLAMA_LOG = LoggerFactory.getLogger("llama.cpp");

    private static Path chosen;

    private NativeLibrary() {}

    /**
     * Creates {@code nativeDir} and, on the first call in this JVM, points the binding at it.
     *
     * @return the directory the native library is (or will be) extracted to
     */
    static synchronized Path prepare(Path nativeDir) {
        try {
            Files.createDirectories(nativeDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the native library directory " + nativeDir, e);
        }
        if (chosen == null) {
            String preset = System.getProperty(TMPDIR_PROPERTY);
            if (preset != null && !preset.isBlank()) {
                chosen = Path.of(preset).toAbsolutePath();
                try {
                    Files.createDirectories(chosen);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + chosen + " named by -D" + TMPDIR_PROPERTY, e);
                }
            } else {
                System.setProperty(TMPDIR_PROPERTY, nativeDir.toString());
                chosen = nativeDir;
            }
            loadWithStdoutOnStderr();
            LlamaModel.setLogger(LogFormat.TEXT, NativeLibrary::log);
        }
        return chosen;
    }

    /**
     * Whether llama.cpp's own log should be printed: only when the {@code llama.cpp} logger is at
     * INFO or finer, since llama.cpp prints several hundred lines per model load to standard error.
     * Load failures still surface as {@link ModelLoadException}s.
     */
    static boolean verbose() {
        return LLAMA_LOG.isInfoEnabled();
    }

    private static void loadWithStdoutOnStderr() {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            Class.forName(LlamaModel.class.getName(), true, NativeLibrary.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("java-llama.cpp is not on the classpath", e);
        } finally {
            System.setOut(stdout);
        }
    }

    private static void log(LogLevel level, String message) {
        String line = message.stripTrailing();
        if (line.isEmpty()) {
            return;
        }
        switch (level) {
            case DEBUG -> LLAMA_LOG.debug(line);
            case INFO -> LLAMA_LOG.info(line);
            case WARN -> LLAMA_LOG.warn(line);
            case ERROR -> LLAMA_LOG.error(line);
        }
    }
}
