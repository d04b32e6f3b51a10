package dev.tanrenai.evaluate.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.LanguageModel;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.SuiteRun;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled ARC-Easy task scored through {@link ScoringSession#languageModel} equals a reference
 * computed here from the decoder's own logits: a log-softmax in double over each continuation token
 * of {@code BOS + tokenize(context + " " + choice)}, the continuation being the tokens beyond
 * {@code tokenize(context)}.
 */
class MultipleChoiceReferenceIT {

    @TempDir
    Path dir;

    @Test
    void multipleChoiceScoresEqualTheDecodersOwnLogits() throws Exception {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path gguf = dir.resolve("tiny.gguf");
        TinyModelMaker.write(spec, gguf);
        Path yaml = BundledTasks.extract("arc_easy", dir);
        TaskConfig task = TaskFile.parse(Files.readString(yaml) + "limit: 4\n", yaml.toString(), yaml.getParent());
        ModelUnderTest model = ModelUnderTest.ofFiles(gguf, null);
        try (ScoringSession session = ScoringSession.open(
                model, RuntimeOptions.defaults(gguf, dir.resolve("native")), new ScoringSettings(256, 512, 8))) {
            LanguageModel lm = session.languageModel(model);
            SuiteRun run = new TaskSuite(task, TaskSuite.DEFAULT_SEED).score(session, model, null);
            assertEquals(4, run.items().size());
            for (int i = 0; i < 4; i++) {
                Map<String, Object> doc = task.docs().get(i);
                String context = FewShot.context(task, doc, i, TaskSuite.DEFAULT_SEED);
                List<String> choices = task.docToChoice().of(doc, i);
                int gold = ((Long) task.docToTarget().evaluate(doc, i)).intValue();
                double[] ll = new double[choices.size()];
                double[] perChar = new double[choices.size()];
                double[] perByte = new double[choices.size()];
                for (int c = 0; c < choices.size(); c++) {
                    ll[c] = reference(session, model, context, " " + choices.get(c), spec.vocabSize());
                    double scored = lm.loglikelihood(
                                    List.of(new LanguageModel.ContinuationRequest(context, " " + choices.get(c))))
                            .get(0)
                            .logProbability();
                    assertEquals(ll[c], scored, 1e-4, "doc " + i + " choice " + c);
                    perChar[c] = ll[c] / choices.get(c).length();
                    perByte[c] = ll[c] / choices.get(c).getBytes(StandardCharsets.UTF_8).length;
                }
                ItemScore item = run.items().get(i);
                assertEquals(argmax(ll) == gold ? 1.0 : 0.0, item.value("acc"), "acc of doc " + i);
                assertEquals(argmax(perChar) == gold ? 1.0 : 0.0, item.value("acc_norm"), "acc_norm of doc " + i);
                assertEquals(argmax(perByte) == gold ? 1.0 : 0.0, item.value("acc_bytes"), "acc_bytes of doc " + i);
            }
        }
    }

    private static double reference(
            ScoringSession session, ModelUnderTest model, String context, String continuation, int vocab) {
        int[] whole = session.tokenizer().tokenize(context + continuation);
        int contextLength = session.tokenizer().tokenize(context).length;
        int[] tokens = new int[whole.length + 1];
        tokens[0] = session.bos();
        System.arraycopy(whole, 0, tokens, 1, whole.length);
        try (NDManager m = session.manager().newSubManager()) {
            float[] logits = session.decoder(model).logits(tokens, m).toFloatArray();
            double sum = 0;
            for (int j = 1 + contextLength; j < tokens.length; j++) {
                int row = (j - 1) * vocab;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, logits[row + v]);
                }
                double z = 0;
                for (int v = 0; v < vocab; v++) {
                    z += Math.exp(logits[row + v] - max);
                }
                sum += logits[row + tokens[j]] - max - Math.log(z);
            }
            return sum;
        }
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
