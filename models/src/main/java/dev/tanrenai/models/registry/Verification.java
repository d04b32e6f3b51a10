package dev.tanrenai.models.registry;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The result of checking a registered file against its recorded SHA-256.
 *
 * @param id the base model or adapter id
 * @param path the recorded path
 * @param status OK, MISSING or CHANGED
 * @param expectedSha256 the recorded hash
 * @param actualSha256 the file's hash now; null when the file is missing
 */
public record Verification(String id, Path path, Status status, String expectedSha256, String actualSha256) {
    /** The state of a registered file. */
    public enum Status {
        OK,
        MISSING,
        CHANGED
    }

    public Verification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expectedSha256, "expectedSha256");
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** A sentence for the user. */
    public String message() {
        switch (status) {
            case OK:
                return id + ": " + path + " matches sha256 " + expectedSha256;
            case MISSING:
                return id + ": file " + path + " is missing (registered with sha256 " + expectedSha256 + ")";
            case CHANGED:
                return id + ": file " + path + " changed: sha256 is " + actualSha256 + ", registered " + expectedSha256;
            default:
                throw new IllegalStateException("unknown status " + status);
        }
    }
}
