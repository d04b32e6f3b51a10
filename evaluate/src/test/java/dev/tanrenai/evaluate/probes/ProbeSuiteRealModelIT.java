package dev.tanrenai.evaluate.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.SuiteRun;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate/probes.example.yaml} on the real stories260K (run with {@code -Preal-model}); fails
 * when the model file is missing or not the expected one.
 */
public class ProbeSuiteRealModelIT {
    public static final String SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    public static Path stories260K() throws IOException {
        String dir = System.getProperty("tanrenai.shared.models");
        if (dir == null) {
            throw new IllegalStateException("system property tanrenai.shared.models is not set (the root pom sets it)");
        }
        Path file = Path.of(dir, "stories260K.gguf");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the real-model tier needs " + file + " (see shared/models/README.md)");
        }
        String actual = Sha256.ofFile(file);
        if (!actual.equals(SHA256)) {
            throw new IllegalStateException(file + " has sha256 " + actual + ", expected " + SHA256);
        }
        return file;
    }

    @Test
    void theExampleFilePassesOnTheDemoModelRepeatably() throws Exception {
        Path model = stories260K();
        ProbeSuite suite = ProbeSuite.of(ProbeFile.read(Path.of("probes.example.yaml")));
        ModelUnderTest base = ModelUnderTest.ofFiles(model, null);
        RuntimeOptions runtime = RuntimeOptions.defaults(model, Path.of(System.getProperty("java.io.tmpdir"), "native"))
                .withContextLength(512);
        try (ScoringSession session = ScoringSession.open(base, runtime, ScoringSettings.defaults())) {
            SuiteRun run = suite.score(session, base, null);
            @SuppressWarnings("unchecked")
            Map<String, String> outputs = (Map<String, String>) run.notes().get(ProbeSuite.OUTPUTS);
            // seen with llama.cpp b4916 on this file: ChatML rendered as plain text, greedy, 48 tokens
            assertTrue(outputs.get("story.dialogue").startsWith("\"Here?\" Asked Jack."), outputs.toString());
            assertEquals(List.of(), ProbeSuite.failedMustPass(run), outputs.toString());
            assertEquals(
                    List.of(1.0, 1.0, 1.0, 1.0, 1.0),
                    run.items().stream().map(i -> i.value(ProbeSuite.PASS)).toList(),
                    outputs.toString());
            assertEquals(1.0, ProbeSuite.PASS_RATE.valueOf(run.items()));
            assertEquals(
                    List.of("story.dialogue", "story.with-a-system-prompt"),
                    run.items().stream()
                            .filter(i -> i.value(ProbeSuite.MUST_PASS) == 1.0)
                            .map(ItemScore::itemId)
                            .toList());

            SuiteRun again = suite.score(session, base, null);
            assertEquals(outputs, again.notes().get(ProbeSuite.OUTPUTS), "greedy generation is repeatable");
        }
    }
}
