package dev.tanrenai.models.registry;

import dev.tanrenai.datasets.home.TanrenaiHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files the registry owns below the Tanrenai home: copied atomically, named by id. */
final class RegistryFiles {
    private final TanrenaiHome home;

    RegistryFiles(TanrenaiHome home) {
        this.home = home;
    }

    Path requireFile(Path file, String what) {
        if (file == null) {
            throw new RegistryException(what + " path must not be null");
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new RegistryException(what + " file " + absolute + " does not exist or is not a regular file");
        }
        return absolute;
    }

    /**
     * Copies {@code source} to {@code dir/<id>.gguf} (via a temporary file and an atomic rename) unless
     * it is already that file or a file with that name and content exists; verifies the copy's hash.
     */
    Path copyInto(Path source, Path dir, String id, String sha256) {
        Path target = dir.resolve(id + ".gguf").toAbsolutePath().normalize();
        if (target.equals(source)) {
            return target;
        }
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(target) && FileDigest.sha256(target).equals(sha256)) {
                return target;
            }
            Path temporary = Files.createTempFile(dir, id + "-", ".part");
            try {
                Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
                String copied = FileDigest.sha256(temporary);
                if (!copied.equals(sha256)) {
                    throw new RegistryException("copy of " + source + " to " + temporary + " has sha256 " + copied
                            + ", expected " + sha256 + " (file changed while copying?)");
                }
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot copy " + source + " into " + home.root() + " as " + target + ": " + e.getMessage(), e);
        }
        return target;
    }
}
