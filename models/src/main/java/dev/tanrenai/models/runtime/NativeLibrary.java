package dev.tanrenai.models.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepares the directory java-llama.cpp extracts its native library into.
 *
 * <p>{@code de.kherud.llama.LlamaLoader} reads the system property {@code de.kherud.llama.tmpdir}
 * (falling back to {@code java.io.tmpdir}) once, when {@code LlamaModel} is first initialised, and
 * fails with {@code UnsatisfiedLinkError} if that directory does not exist. So the directory must be
 * created and the property set before any code touches {@code LlamaModel}.
 */
final class NativeLibrary {
    static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";

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
        }
        return chosen;
    }
}
