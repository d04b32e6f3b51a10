package dev.tanrenai.train.loop;

import dev.tanrenai.datasets.provenance.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The SHA-256 a checkpoint carries over everything it restores: step, data position, fingerprint,
 * optimizer step, and each tensor's name, length and float bits, in the order they are written. The
 * writer computes it before writing; a reader recomputes it from what it read, so a flipped bit in
 * any value or header field it restores is found.
 */
final class CheckpointDigest {
    private final MessageDigest digest = Sha256.newDigest();

    CheckpointDigest(int step, long dataPosition, String fingerprint, int optimizerStep) {
        text("tanrenai-checkpoint-v1");
        digest.update(ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(step)
                .putLong(dataPosition)
                .putInt(optimizerStep)
                .array());
        text(fingerprint);
    }

    /** Adds one tensor. */
    CheckpointDigest tensor(String name, float[] values) {
        text(name);
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(values.length);
        for (float v : values) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        digest.update(b.array());
        return this;
    }

    /** Lower-case hex SHA-256 of what was added. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    private void text(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(bytes.length)
                .array());
        digest.update(bytes);
    }
}
