package dev.tanrenai.models.registry;

import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.nio.file.Path;

/** SHA-256 of a file with registry errors. */
final class FileDigest {
    private FileDigest() {}

    static String sha256(Path file) {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new RegistryException("cannot read " + file + " to hash it: " + e.getMessage(), e);
        }
    }
}
