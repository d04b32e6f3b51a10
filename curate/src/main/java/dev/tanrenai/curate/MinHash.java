package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * MinHash over character 5-gram shingles of a conversation's normalized text, with LSH banding:
 * {@code bands × rows} hash functions; two conversations share a band key when all {@code rows}
 * minima of that band agree, which happens with probability {@code J^rows} per band for Jaccard
 * similarity J. With 20 bands of 7 rows a pair at J = 0.8 becomes a candidate with probability
 * {@code 1 - (1 - 0.8^7)^20 ≈ 0.99}, while an unrelated pair at J = 0.4 does so with only 3%, so
 * few candidates need confirming on their exact shingle sets.
 */
public final class MinHash implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int SHINGLE = 5;

    private final int bands;
    private final int rows;
    private final long[] seeds;

    public MinHash(int bands, int rows, long seed) {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("bands and rows must be >= 1");
        }
        this.bands = bands;
        this.rows = rows;
        this.seeds = new long[bands * rows];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = random.nextLong();
        }
    }

    /** 20 bands × 7 rows, seed 1. */
    public static MinHash defaults() {
        return new MinHash(20, 7, 1);
    }

    /** The text dedupe compares: roles and contents, lower-cased, whitespace collapsed. */
    public static String text(Conversation c) {
        StringBuilder sb = new StringBuilder();
        for (Message m : c.messages()) {
            sb.append(m.role().wireName()).append(": ").append(m.content()).append('\n');
        }
        return sb.toString().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /** The 64-bit hashes of the text's character 5-grams (the text itself when shorter). */
    public static Set<Long> shingles(String text) {
        Set<Long> out = new HashSet<>();
        if (text.length() < SHINGLE) {
            out.add(hash(text));
            return out;
        }
        for (int i = 0; i + SHINGLE <= text.length(); i++) {
            out.add(hash(text.substring(i, i + SHINGLE)));
        }
        return out;
    }

    public long[] signature(Set<Long> shingles) {
        long[] sig = new long[seeds.length];
        java.util.Arrays.fill(sig, Long.MAX_VALUE);
        for (long s : shingles) {
            for (int i = 0; i < seeds.length; i++) {
                long h = mix(s ^ seeds[i]);
                if (Long.compareUnsigned(h, sig[i]) < 0) {
                    sig[i] = h;
                }
            }
        }
        return sig;
    }

    /** One key per band: the band's index and the hash of its rows. */
    public String[] bandKeys(long[] signature) {
        String[] keys = new String[bands];
        for (int b = 0; b < bands; b++) {
            long h = b;
            for (int r = 0; r < rows; r++) {
                h = mix(h * 31 + signature[b * rows + r]);
            }
            keys[b] = b + ":" + Long.toHexString(h);
        }
        return keys;
    }

    public static double jaccard(Set<Long> a, Set<Long> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (long x : a.size() < b.size() ? a : b) {
            if ((a.size() < b.size() ? b : a).contains(x)) {
                common++;
            }
        }
        return common / (double) (a.size() + b.size() - common);
    }

    /** |a ∩ b| / |a|: how much of {@code a} is inside {@code b}. */
    public static double containment(Set<Long> a, Set<Long> b) {
        if (a.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (long x : a) {
            if (b.contains(x)) {
                common++;
            }
        }
        return common / (double) a.size();
    }

    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93fe53e94cbL;
        return z ^ (z >>> 33);
    }
}
