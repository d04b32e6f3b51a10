package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** LSH banding finds the near-duplicate pairs brute-force Jaccard finds (recall >= 0.95 at J >= 0.8). */
class MinHashRecallTest {

    static final String[] WORDS = ("temper steel blade oil quench hardness chisel plane stone water flat edge honing "
                    + "grit bevel angle heat color straw blue brittle tough grain carbon file saw tooth set kerf joint glue")
            .split(" ");

    @Test
    void bandingRecallsNearDuplicatesAgainstBruteForce() {
        Random random = new Random(3);
        List<String> texts = new ArrayList<>();
        for (int base = 0; base < 60; base++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 60; w++) {
                sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            String text = sb.toString();
            texts.add(text);
            for (int v = 0; v < 3; v++) { // variants with a few edited words
                String[] words = text.split(" ");
                int edits = 1 + random.nextInt(5);
                for (int e = 0; e < edits; e++) {
                    words[random.nextInt(words.length)] = WORDS[random.nextInt(WORDS.length)];
                }
                texts.add(String.join(" ", words));
            }
        }
        MinHash minHash = MinHash.defaults();
        List<Set<Long>> shingles = new ArrayList<>();
        Map<String, List<Integer>> buckets = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            Set<Long> s = MinHash.shingles(texts.get(i));
            shingles.add(s);
            for (String key : minHash.bandKeys(minHash.signature(s))) {
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        Set<Long> candidates = new HashSet<>();
        for (List<Integer> bucket : buckets.values()) {
            for (int a = 0; a < bucket.size(); a++) {
                for (int b = a + 1; b < bucket.size(); b++) {
                    candidates.add(pair(bucket.get(a), bucket.get(b)));
                }
            }
        }
        int truePairs = 0;
        int found = 0;
        int confirmed = 0;
        for (int a = 0; a < texts.size(); a++) {
            for (int b = a + 1; b < texts.size(); b++) {
                double j = MinHash.jaccard(shingles.get(a), shingles.get(b));
                boolean candidate = candidates.contains(pair(a, b));
                if (j >= 0.8) {
                    truePairs++;
                    if (candidate) {
                        found++;
                    }
                }
                if (candidate && j >= 0.8) {
                    confirmed++;
                }
            }
        }
        double recall = found / (double) truePairs;
        assertTrue(truePairs > 100, "the generated set has near duplicates: " + truePairs);
        assertTrue(recall >= 0.95, "recall " + recall + " (" + found + "/" + truePairs + ")");
        assertTrue(confirmed == found, "confirmation on exact shingles keeps precision at 1");
    }

    private static long pair(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
