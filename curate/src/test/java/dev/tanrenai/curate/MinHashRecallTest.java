package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dedupe's near-duplicate pairs (LSH candidates confirmed on exact shingles, run as the Beam steps
 * the pipeline uses) against brute-force Jaccard over every pair of a generated set: recall >= 0.95
 * and precision >= 0.99 at J >= 0.8.
 */
@ExtendWith(TestPipelineExtension.class)
class MinHashRecallTest {

    static final String[] WORDS = ("temper steel blade oil quench hardness chisel plane stone water flat edge honing "
                    + "grit bevel angle heat color straw blue brittle tough grain carbon file saw tooth set kerf joint glue")
            .split(" ");
    static final double J = 0.8;

    @Test
    void bandedPairsMatchBruteForceJaccard(TestPipeline p) {
        List<String> texts = generated(new Random(3));
        MinHash minHash = MinHash.defaults();
        List<int[]> shingles = new ArrayList<>();
        List<KV<String, byte[]>> sketches = new ArrayList<>();
        List<KV<String, String>> keys = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] s = MinHash.shingles(texts.get(i));
            shingles.add(s);
            String id = String.format("t%04d", i);
            sketches.add(KV.of(id, new Sketch(id, 0.5, s).encode()));
            for (String key : minHash.bandKeys(minHash.signature(s))) {
                keys.add(KV.of(key, id));
            }
        }
        Set<String> truth = new HashSet<>();
        for (int a = 0; a < texts.size(); a++) {
            for (int b = a + 1; b < texts.size(); b++) {
                if (MinHash.jaccard(shingles.get(a), shingles.get(b)) >= J) {
                    truth.add(String.format("t%04d t%04d", a, b));
                }
            }
        }
        assertTrue(truth.size() > 100, "the generated set has near duplicates: " + truth.size());
        PCollection<Dedupe.Edge> edges = Dedupe.pairs(
                p.apply(
                        "Sketches",
                        Create.of(sketches).withCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))),
                p.apply("Keys", Create.of(keys).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))),
                J,
                8);
        PAssert.that(edges).satisfies(found -> {
            Set<String> pairs = new HashSet<>();
            found.forEach(e -> pairs.add(e.a() + " " + e.b()));
            long hits = pairs.stream().filter(truth::contains).count();
            double recall = hits / (double) truth.size();
            double precision = pairs.isEmpty() ? 0 : hits / (double) pairs.size();
            assertTrue(recall >= 0.95, "recall " + recall + " (" + hits + "/" + truth.size() + ")");
            // pairs beyond brute-force Jaccard can only be containment pairs: there are none here
            assertTrue(precision >= 0.99, "precision " + precision + " (" + hits + "/" + pairs.size() + ")");
            return null;
        });
        p.run().waitUntilFinish();
    }

    /** 60 random texts of 60 words, each with 3 variants of 1-5 edited words. */
    static List<String> generated(Random random) {
        List<String> texts = new ArrayList<>();
        for (int base = 0; base < 60; base++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 60; w++) {
                sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            String text = sb.toString();
            texts.add(text);
            for (int v = 0; v < 3; v++) {
                String[] words = text.split(" ");
                int edits = 1 + random.nextInt(5);
                for (int e = 0; e < edits; e++) {
                    words[random.nextInt(words.length)] = WORDS[random.nextInt(WORDS.length)];
                }
                texts.add(String.join(" ", words));
            }
        }
        return texts;
    }
}
