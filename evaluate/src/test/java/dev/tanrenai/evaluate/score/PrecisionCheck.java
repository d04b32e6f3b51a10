package dev.tanrenai.evaluate.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.Precision;
import dev.tanrenai.evaluate.bench.PrecisionAccuracy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores the same requests with a candidate and a champion in float32 and in bf16 through one
 * session, checks what must hold exactly (repeatability, an identical candidate differs by zero,
 * the precisions are not mixed) and returns what bf16 changes, for the caller's stated tolerances.
 */
final class PrecisionCheck {
    private PrecisionCheck() {}

    static PrecisionAccuracy run(
            ScoringSession session, ModelUnderTest candidate, ModelUnderTest champion, List<ScoringRequest> requests)
            throws Exception {
        assertEquals(Precision.BFLOAT16, session.settings().precision());
        List<SequenceScore> candidateBf16 = score(session, session.scorer(candidate), requests);
        List<SequenceScore> championBf16 = score(session, session.scorer(champion), requests);
        List<SequenceScore> candidateFp32 = score(session, session.scorer(candidate, Precision.FLOAT32), requests);
        List<SequenceScore> championFp32 = score(session, session.scorer(champion, Precision.FLOAT32), requests);
        // bf16 repeats bit for bit, and the champion against a byte-identical copy of itself differs by 0
        Path copy = Files.createTempFile("champion-copy", ".gguf");
        try {
            Files.copy(champion.adapterPath(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ModelUnderTest twin = ModelUnderTest.ofFiles(champion.basePath(), copy);
            List<SequenceScore> again = score(session, session.scorer(twin), requests);
            for (int r = 0; r < requests.size(); r++) {
                assertArrayEquals(
                        championBf16.get(r).logProbs(),
                        again.get(r).logProbs(),
                        requests.get(r).id());
                assertEquals(
                        0.0, again.get(r).logProbSum() - championBf16.get(r).logProbSum());
            }
        } finally {
            Files.deleteIfExists(copy);
        }
        // a decoder of one precision is never used with settings of the other
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new TokenScorer(session.decoder(candidate, Precision.FLOAT32), session.settings()));
        assertTrue(e.getMessage().contains("fp32") && e.getMessage().contains("bf16"), e.getMessage());
        return PrecisionAccuracy.of(candidateFp32, candidateBf16, championFp32, championBf16);
    }

    private static List<SequenceScore> score(
            ScoringSession session, TokenScorer scorer, List<ScoringRequest> requests) {
        return scorer.score(requests, false, null, session.manager(), TokenScorer.Progress.none());
    }
}
