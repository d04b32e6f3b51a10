package dev.tanrenai.curate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What dedupe knows of a conversation: its id, quality score (to choose a cluster's keeper) and
 * sorted distinct shingle hashes ({@link MinHash#shingles}), moved between pipeline steps as
 * compact bytes.
 */
record Sketch(String id, double score, int[] shingles) {

    Sketch {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a sketch needs a conversation id");
        }
    }

    /**
     * The share of a conversation's shingles that must be inside another for it to count as
     * contained (an earlier state of the same conversation), whatever their Jaccard similarity.
     * It is set well above the Jaccard threshold: two texts of equal size with Jaccard J have
     * containment 2J/(1+J), so containment 0.8 would already match Jaccard 0.67.
     */
    static double containmentThreshold(double jaccardThreshold) {
        return Math.max(0.95, jaccardThreshold);
    }

    /**
     * Whether {@code this} and {@code other} are near duplicates: Jaccard similarity at least
     * {@code threshold}, or either one contained in the other ({@link #containmentThreshold}).
     */
    boolean similar(Sketch other, double threshold) {
        int common = MinHash.intersection(shingles, other.shingles);
        int union = shingles.length + other.shingles.length - common;
        double contained = containmentThreshold(threshold) * Math.min(shingles.length, other.shingles.length);
        return common >= threshold * union || common >= contained;
    }

    /** Whether {@code this} repeats {@code earlier}: similar, or contained in it (not merely containing it). */
    boolean repeats(Sketch earlier, double threshold) {
        int common = MinHash.intersection(shingles, earlier.shingles);
        int union = shingles.length + earlier.shingles.length - common;
        return common >= threshold * union || common >= containmentThreshold(threshold) * shingles.length;
    }

    /** {@code [id length][id UTF-8][score][count][shingles]}, big-endian. */
    byte[] encode() {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + idBytes.length + 8 + 4 + 4 * shingles.length);
        b.putInt(idBytes.length).put(idBytes).putDouble(score).putInt(shingles.length);
        b.asIntBuffer().put(shingles);
        return b.array();
    }

    static Sketch decode(byte[] encoded) {
        return decode(encoded, 0);
    }

    /** The sketch encoded in {@code encoded} from {@code offset} on (after a tag, say). */
    static Sketch decode(byte[] encoded, int offset) {
        try {
            ByteBuffer b = ByteBuffer.wrap(encoded, offset, encoded.length - offset);
            byte[] idBytes = new byte[b.getInt()];
            b.get(idBytes);
            double score = b.getDouble();
            int[] shingles = new int[b.getInt()];
            b.asIntBuffer().get(shingles);
            return new Sketch(new String(idBytes, StandardCharsets.UTF_8), score, shingles);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a dedupe sketch of " + encoded.length + " bytes does not decode", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sketch s
                && id.equals(s.id)
                && Double.compare(score, s.score) == 0
                && Arrays.equals(shingles, s.shingles);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(shingles);
    }

    @Override
    public String toString() {
        return "Sketch[" + id + ", " + shingles.length + " shingles]";
    }
}
