package dev.tanrenai.curate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + id.length() + 4 * shingles.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(id);
            out.writeDouble(score);
            out.writeInt(shingles.length);
            for (int s : shingles) {
                out.writeInt(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the sketch of " + id, e);
        }
        return bytes.toByteArray();
    }

    static Sketch decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            String id = in.readUTF();
            double score = in.readDouble();
            int[] shingles = new int[in.readInt()];
            for (int i = 0; i < shingles.length; i++) {
                shingles[i] = in.readInt();
            }
            return new Sketch(id, score, shingles);
        } catch (IOException e) {
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
