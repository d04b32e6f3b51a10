package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash over character 5-gram shingles of a conversation's normalized text, with LSH banding:
 * {@code bands × rows} signature values ({@link #signature}); two conversations share a band key when all {@code rows}
 * minima of that band agree, which happens with probability {@code J^rows} per band for Jaccard
 * similarity J. With 20 bands of 7 rows a pair at J = 0.8 becomes a candidate with probability
 * {@code 1 - (1 - 0.8^7)^20 ≈ 0.99}, while an unrelated pair at J = 0.4 does so with only 3%, so
 * few candidates need confirming on their exact shingle sets.
 *
 * <p>Shingles are 32-bit hashes, kept as sorted distinct {@code int[]}: a conversation of a few
 * thousand characters has a few thousand shingles, where 32-bit collisions are negligible for a
 * similarity estimate, and sorted arrays compare by merging without boxing.
 */
public final class MinHash implements Serializable {
    private static final long serialVersionUID = 2L;

    public static final int SHINGLE = 5;

    private final int bands;
    private final int rows;
    private final long seed;
    private final long[] seeds;
    private final long seed0;
    private final long seed1;

    public MinHash(int bands, int rows, long seed) {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("bands and rows must be >= 1, got " + bands + " x " + rows);
        }
        this.bands = bands;
        this.rows = rows;
        this.seed = seed;
        this.seeds = new long[bands * rows];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = random.nextLong();
        }
        this.seed0 = random.nextLong();
        this.seed1 = random.nextLong();
    }

    /** 20 bands × 7 rows, seed 1. */
    public static MinHash defaults() {
        return new MinHash(20, 7, 1);
    }

    /** What a persisted index must match: shingle size, bands, rows and seed. */
    public String parameters() {
        return "oph,shingle=" + SHINGLE + ",bands=" + bands + ",rows=" + rows + ",seed=" + seed;
    }

    /** The text dedupe compares: roles and contents, lower-cased, whitespace collapsed. */
    public static String text(Conversation c) {
        StringBuilder sb = new StringBuilder();
        for (Message m : c.messages()) {
            sb.append(m.role().wireName()).append(": ").append(m.content()).append('\n');
        }
        return collapse(sb);
    }

    /**
     * The key of a conversation's opening (its first user message and the reply to it): an earlier
     * state of a multi-turn conversation shares it with every later state, whatever their Jaccard
     * similarity, so containment is checked for those pairs too. Null without a user message.
     */
    public static String openingKey(Conversation c) {
        StringBuilder sb = new StringBuilder();
        boolean user = false;
        for (Message m : c.messages()) {
            if (m.role() == Role.USER && !user) {
                user = true;
                sb.append(m.content()).append('\n');
            } else if (m.role() == Role.ASSISTANT && user) {
                sb.append(m.content());
                break;
            }
        }
        return user ? "o:" + Long.toHexString(hash64(collapse(sb))) : null;
    }

    private static String collapse(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(Character.toLowerCase(ch));
            }
        }
        return out.toString();
    }

    /** The sorted distinct 32-bit hashes of the text's character 5-grams (the text itself when shorter). */
    public static int[] shingles(String text) {
        if (text.length() < SHINGLE) {
            return new int[] {(int) hash64(text)};
        }
        int[] out = new int[text.length() - SHINGLE + 1];
        for (int i = 0; i < out.length; i++) {
            long h = 0xcbf29ce484222325L;
            for (int k = i; k < i + SHINGLE; k++) {
                h = (h ^ text.charAt(k)) * 0x100000001b3L;
            }
            out[i] = (int) mix(h);
        }
        Arrays.sort(out);
        int n = 0;
        for (int i = 0; i < out.length; i++) {
            if (n == 0 || out[i] != out[n - 1]) {
                out[n++] = out[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The MinHash signature by one-permutation hashing with optimal densification (Shrivastava,
     * ICML 2017): each shingle is hashed once and lands in one of {@code bands × rows} bins, each
     * bin keeps its minimum, and an empty bin borrows the minimum of a non-empty bin chosen by a
     * seeded probe sequence of its own. As with one hash function per value, two sets agree in any
     * one value with probability equal to their Jaccard similarity, at 1/140th of the hashing.
     */
    public long[] signature(int[] shingles) {
        int k = seeds.length;
        long[] sig = new long[k];
        Arrays.fill(sig, Long.MAX_VALUE);
        boolean[] filled = new boolean[k];
        for (int s : shingles) {
            long h = mix(s ^ seed0);
            int bin = (int) (((h >>> 32) * k) >>> 32);
            long v = mix(h ^ seed1);
            if (!filled[bin] || v < sig[bin]) {
                sig[bin] = v;
                filled[bin] = true;
            }
        }
        long[] dense = sig.clone();
        for (int i = 0; i < k; i++) {
            if (!filled[i]) {
                for (long attempt = 0; ; attempt++) {
                    int j = (int) Math.floorMod(mix(seeds[i] + attempt * 0x9E3779B97F4A7C15L), (long) k);
                    if (filled[j]) {
                        dense[i] = sig[j];
                        break;
                    }
                }
            }
        }
        return dense;
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

    /** The band keys of {@code c}'s shingles plus its opening key: the terms it is looked up by. */
    public String[] lookupKeys(Conversation c, int[] shingles) {
        String[] bandKeys = bandKeys(signature(shingles));
        String opening = openingKey(c);
        if (opening == null) {
            return bandKeys;
        }
        String[] keys = Arrays.copyOf(bandKeys, bandKeys.length + 1);
        keys[bandKeys.length] = opening;
        return keys;
    }

    /** |a ∩ b| of two sorted distinct arrays. */
    static int intersection(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return common;
    }

    public static double jaccard(int[] a, int[] b) {
        if (a.length == 0 && b.length == 0) {
            return 1;
        }
        int common = intersection(a, b);
        return common / (double) (a.length + b.length - common);
    }

    /** |a ∩ b| / |a|: how much of {@code a} is inside {@code b}. */
    public static double containment(int[] a, int[] b) {
        return a.length == 0 ? 1 : intersection(a, b) / (double) a.length;
    }

    private static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93fe53e94cbL;
        return z ^ (z >>> 33);
    }
}
