package dev.tanrenai.models.runtime;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * <p>The binding's loader prints "Extracted 'libjllama.so' to ..." to standard output every time it
 * loads (once per JVM, so once per CLI command), and llama.cpp logs every load to standard error.
 * Standard output belongs to a command's result (and its {@code --json}), so the library is loaded
 * here with standard output captured: the extraction line goes to the SLF4J logger {@code
 * llama.cpp} at INFO, anything else the loader printed goes on to standard error unchanged. llama.cpp's
 * own log is routed to the same logger; the CLI shows INFO only with {@code TANRENAI_LOG_LEVEL=info}.
 */
final class NativeLibrary {
    static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";

    /** How java-llama.cpp's loader starts the line it prints on every load. */
    static final String EXTRACTED = "Extracted '";

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
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Class.forName(LlamaModel.class.getName(), true, NativeLibrary.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("java-llama.cpp is not on the classpath", e);
        } finally {
            System.setOut(stdout);
            forward(captured.toString(StandardCharsets.UTF_8));
        }
    }

    /** The loader's own output: its extraction notice to the log, anything else to standard error. */
    static void forward(String loaderOutput) {
        for (String line : loaderOutput.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith(EXTRACTED)) {
                LLAMA_LOG.info(line);
            } else {
                System.err.println(line);
            }
        }
        System.err.flush();
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
