package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 helpers of the snapshot writer and verifier (hashing itself is {@link Sha256}'s). */
final class Hashing {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private Hashing() {}

    static boolean isSha256Hex(String s) {
        return s != null && SHA256_HEX.matcher(s).matches();
    }

    static MessageDigest sha256() {
        return Sha256.newDigest();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    static String sha256Hex(byte[] bytes) {
        return Sha256.ofBytes(bytes);
    }

    /**
     * The content hash of a snapshot: SHA-256 over its parts' SHA-256 hex digests in order, one per
     * line. Each part hash covers its bytes, so this covers every part byte, and the driver of a
     * distributed write computes it without reading a part again.
     */
    static String content(java.util.List<SnapshotPart> parts) {
        StringBuilder sb = new StringBuilder();
        for (SnapshotPart part : parts) {
            sb.append(part.sha256()).append('\n');
        }
        return sha256Hex(sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Streams {@code file} into {@code fileDigest} and, when not null, into {@code runningDigest}.
     *
     * @return the number of bytes read
     */
    static long digestFile(Path file, MessageDigest fileDigest, MessageDigest runningDigest) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                fileDigest.update(buffer, 0, n);
                if (runningDigest != null) {
                    runningDigest.update(buffer, 0, n);
                }
                total += n;
            }
        }
        return total;
    }
}
