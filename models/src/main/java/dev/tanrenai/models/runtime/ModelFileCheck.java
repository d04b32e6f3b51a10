package dev.tanrenai.models.runtime;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufFormatException;
import dev.tanrenai.models.validate.AdapterValidator;
import dev.tanrenai.models.validate.ModelValidationException;
import dev.tanrenai.models.validate.ModelValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a model or adapter file before it is handed to llama.cpp, which aborts the JVM on some
 * malformed files instead of reporting an error.
 */
final class ModelFileCheck {
    private static final int GGUF_MAGIC = 0x46554747; // "GGUF" read little-endian

    private ModelFileCheck() {}

    /**
     * Fails with {@link ModelLoadException} unless {@code file} is a readable regular file that starts
     * with the GGUF magic and a supported version (2 or 3) and whose header, tensor infos and tensor
     * data bounds pass {@link GgufFile#open}'s validation.
     *
     * @param what what the file is meant to be, for the message ("base model", "LoRA adapter")
     */
    static void requireGguf(Path file, String what) {
        if (!Files.exists(file)) {
            throw new ModelLoadException(file, what + " file does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelLoadException(file, what + " is not a readable regular file");
        }
        byte[] header = new byte[8];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot read the " + what + ": " + e.getMessage(), e);
        }
        if (read < header.length) {
            throw new ModelLoadException(file, what + " is only " + read + " bytes long, too short for a GGUF header");
        }
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != GGUF_MAGIC) {
            throw new ModelLoadException(
                    file, String.format("%s is not a GGUF file: bytes 0..3 are 0x%08x, expected 'GGUF'", what, magic));
        }
        int version = b.getInt(4);
        if (version != 2 && version != 3) {
            throw new ModelLoadException(
                    file, what + " has GGUF version " + version + " at byte offset 4; only versions 2 and 3 load");
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            if (gguf.tensors().isEmpty()) {
                throw new ModelLoadException(file, what + " contains no tensors");
            }
        } catch (GgufFormatException e) {
            throw new ModelLoadException(file, what + " is a malformed GGUF file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot read the " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails with {@link ModelLoadException} (caused by a {@link ModelValidationException} naming the
     * key or tensor and value) unless {@code base} passes {@link ModelValidator#validateBase}.
     */
    static void requireSoundBase(Path base) {
        try {
            ModelValidator.validateBase(base);
        } catch (ModelValidationException e) {
            throw new ModelLoadException(base, "refused before llama.cpp sees it: " + e.problem(), e);
        } catch (UncheckedIOException e) {
            throw new ModelLoadException(base, e.getMessage(), e);
        }
    }

    /** As {@link #requireSoundBase} for a LoRA adapter over {@code base} ({@link AdapterValidator}). */
    static void requireSoundAdapter(Path adapter, Path base) {
        try {
            AdapterValidator.validate(adapter, base);
        } catch (ModelValidationException e) {
            throw new ModelLoadException(adapter, "LoRA adapter refused before llama.cpp sees it: " + e.problem(), e);
        } catch (UncheckedIOException e) {
            throw new ModelLoadException(adapter, e.getMessage(), e);
        }
    }
}
