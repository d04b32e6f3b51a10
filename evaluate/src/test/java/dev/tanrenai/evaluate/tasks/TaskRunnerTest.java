package dev.tanrenai.evaluate.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task metrics from hand-picked loglikelihoods, with expected values computed by hand. */
class TaskRunnerTest {

    @TempDir
    Path dir;

    private TaskConfig task(String yaml, String jsonl) throws Exception {
        Files.writeString(dir.resolve("d.jsonl"), jsonl);
        Path f = dir.resolve("t.yaml");
        Files.writeString(f, "task: t\ndataset_path: d.jsonl\n" + yaml);
        return TaskFile.read(f);
    }

    private static double metric(TaskConfig t, String name, List<ItemScore> items) {
        Metric m = t.metrics().stream()
                .map(TaskMetric::metric)
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow();
        return m.valueOf(items);
    }

    @Test
    void accAccNormAndAccBytesDisagreeAsDesigned() throws Exception {
        // ll: "ab" -2 (per char -1, per byte -1); "éééé" -3 (per char -0.75, per byte -0.375);
        // "abcdefgh" -4 (per char -0.5, per byte -0.5): acc picks 0, acc_norm 2, acc_bytes 1
        String choices = "\"c\": [\"ab\", \"éééé\", \"abcdefgh\"]";
        TaskConfig t = task(
                "output_type: multiple_choice\ndoc_to_text: \"Q: {{q}}\\nA:\"\ndoc_to_target: g\ndoc_to_choice: c\n"
                        + "metric_list:\n  - metric: acc\n  - metric: acc_norm\n  - metric: acc_bytes\n",
                "{\"q\": \"zero\", \"g\": 0, " + choices + "}\n{\"q\": \"two\", \"g\": 2, " + choices + "}\n"
                        + "{\"q\": \"one\", \"g\": 1, " + choices + ", \"id\": \"doc-one\"}\n");
        FakeLanguageModel lm = new FakeLanguageModel();
        for (String q : List.of("zero", "one", "two")) {
            lm.answer("Q: " + q + "\nA:", " ab", -2, false)
                    .answer("Q: " + q + "\nA:", " éééé", -3, false)
                    .answer("Q: " + q + "\nA:", " abcdefgh", -4, false);
        }
        List<ItemScore> items = TaskRunner.run(t, lm, 1234);
        assertEquals(List.of(1.0, 0.0, 0.0), values(items, "acc"));
        assertEquals(List.of(0.0, 1.0, 0.0), values(items, "acc_norm"));
        assertEquals(List.of(0.0, 0.0, 1.0), values(items, "acc_bytes"));
        assertEquals(1 / 3.0, metric(t, "acc", items), 1e-12);
        assertEquals("0", items.get(0).itemId());
        assertEquals("doc-0", items.get(0).cluster());
        assertEquals("doc-one", items.get(2).cluster(), "the document's id field clusters");
        assertEquals("Q: zero\nA:", items.get(0).text());
        // standard error of acc = sample sd / sqrt(n): values 1,0,0, mean 1/3, sd = sqrt((4/9+1/9+1/9)/2)
        Metric acc = t.metrics().get(0).metric();
        assertEquals(Math.sqrt((4 / 9.0 + 2 / 9.0) / 2) / Math.sqrt(3), TaskSuite.standardError(acc, items), 1e-12);
    }

    @Test
    void loglikelihoodPerplexityAndGreedyAccuracy() throws Exception {
        TaskConfig t = task(
                "output_type: loglikelihood\ndoc_to_text: \"{{text.split(' ')[:-1]|join(' ')}}\"\n"
                        + "doc_to_target: \"{{' '+text.split(' ')[-1]}}\"\n",
                "{\"text\": \"the cat sat\"}\n{\"text\": \"a dog ran\"}\n");
        FakeLanguageModel lm =
                new FakeLanguageModel().answer("the cat", " sat", -1, true).answer("a dog", " ran", -3, false);
        List<ItemScore> items = TaskRunner.run(t, lm, 1);
        assertEquals(Math.exp(2.0), metric(t, "perplexity", items), 1e-12, "exp(-mean(-1, -3))");
        assertEquals(0.5, metric(t, "acc", items), 1e-12);
    }

    @Test
    void rollingPerplexitiesAndBitsPerByte() throws Exception {
        TaskConfig t = task(
                "output_type: loglikelihood_rolling\ndoc_to_target: page\n",
                "{\"page\": \"one two three\"}\n{\"page\": \" é  x\"}\n");
        FakeLanguageModel lm = new FakeLanguageModel();
        lm.texts.put("one two three", -6.0); // 3 words, 13 bytes
        lm.texts.put(" é  x", -3.0); // re.split: '', 'é', 'x' = 3 words; 1 + 2 + 2 + 1 = 6 bytes
        List<ItemScore> items = TaskRunner.run(t, lm, 1);
        assertEquals(List.of(3.0, 3.0), values(items, "words"));
        assertEquals(List.of(13.0, 6.0), values(items, "bytes"));
        assertEquals(Math.exp(9.0 / 6), metric(t, "word_perplexity", items), 1e-12);
        assertEquals(Math.exp(9.0 / 19), metric(t, "byte_perplexity", items), 1e-12);
        assertEquals(9.0 / 19 / Math.log(2), metric(t, "bits_per_byte", items), 1e-12);
    }

    @Test
    void exactMatchAppliesRegexesThenCaseThenPunctuation() throws Exception {
        String data = "{\"q\": \"Capital of France?\", \"a\": \"paris\"}\n";
        String head = "output_type: generate_until\ndoc_to_text: \"{{q}}\"\ndoc_to_target: a\n"
                + "generation_kwargs:\n  until: [\"\\n\"]\n  max_gen_toks: 8\n";
        FakeLanguageModel lm = new FakeLanguageModel();
        lm.generations.put("Capital of France?", "The answer is PARIS!");
        TaskConfig plain = task(head, data);
        assertEquals(List.of(0.0), values(TaskRunner.run(plain, lm, 1), "exact_match"));
        assertEquals(List.of("\n"), lm.generationTasks.get(0).until());
        assertEquals(8, lm.generationTasks.get(0).maxTokens());
        TaskConfig all = task(
                head + "metric_list:\n  - metric: exact_match\n    ignore_case: true\n    ignore_punctuation: true\n"
                        + "    regexes_to_ignore: [\"The answer is \"]\n",
                data);
        assertEquals(List.of(1.0), values(TaskRunner.run(all, lm, 1), "exact_match"));
        TaskConfig lowerRegex = task(
                head + "metric_list:\n  - metric: exact_match\n    ignore_case: true\n    ignore_punctuation: true\n"
                        + "    regexes_to_ignore: [\"the answer is \"]\n",
                data);
        assertEquals(
                List.of(0.0),
                values(TaskRunner.run(lowerRegex, lm, 1), "exact_match"),
                "regexes apply before case folding, so a lower-case pattern misses");
    }

    @Test
    void fewShotIsFormattedAsLmEvalAndDeterministicBySeed() throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            data.append("{\"q\": \"Q")
                    .append(i)
                    .append("\", \"a\": \"A")
                    .append(i)
                    .append("\"}\n");
        }
        TaskConfig t = task(
                "output_type: loglikelihood\ndoc_to_text: \"{{q}}:\"\ndoc_to_target: \"{{a}}\"\nnum_fewshot: 3\n"
                        + "target_delimiter: \"=\"\nfewshot_delimiter: \"\\n##\\n\"\ndescription: \"Answer.\\n\"\n",
                data.toString());
        int[] ex = FewShot.examples(t, 4, 1234);
        assertEquals(3, ex.length);
        assertEquals(3, Arrays.stream(ex).distinct().count(), "drawn without replacement");
        String expected = "Answer.\n" + "Q" + ex[0] + ":=A" + ex[0] + "\n##\n" + "Q" + ex[1] + ":=A" + ex[1] + "\n##\n"
                + "Q" + ex[2] + ":=A" + ex[2] + "\n##\n" + "Q4:";
        assertEquals(expected, FewShot.context(t, t.docs().get(4), 4, 1234));
        List<String> seedA = new ArrayList<>();
        List<String> seedB = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            final int doc = d;
            assertFalse(Arrays.stream(FewShot.examples(t, d, 1234)).anyMatch(i -> i == doc), "never the doc itself");
            assertEquals(Arrays.toString(FewShot.examples(t, d, 1234)), Arrays.toString(FewShot.examples(t, d, 1234)));
            seedA.add(Arrays.toString(FewShot.examples(t, d, 1234)));
            seedB.add(Arrays.toString(FewShot.examples(t, d, 99)));
        }
        assertNotEquals(seedA, seedB, "another seed draws other examples");
    }

    private static List<Double> values(List<ItemScore> items, String name) {
        return items.stream().map(i -> i.value(name)).toList();
    }
}
