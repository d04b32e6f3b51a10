package dev.tanrenai.evaluate.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.evaluate.gate.Decision;
import dev.tanrenai.evaluate.gate.SuiteOutcome;
import java.nio.file.Path;
import java.util.List;

/**
 * What an evaluation decided and where its report is.
 *
 * @param id evaluation id
 * @param decision the gate's decision
 * @param outcomes per-suite comparisons the gate read
 * @param report report.json's content
 * @param reportDir the folder with report.json, report.html and summary.md
 * @param scoredTokens tokens scored by the DJL decoder in this run (cache hits cost none)
 * @param cacheHits model runs taken from the cache instead of scored
 */
public record EvaluationResult(
        String id,
        Decision decision,
        List<SuiteOutcome> outcomes,
        ObjectNode report,
        Path reportDir,
        long scoredTokens,
        int cacheHits) {

    public EvaluationResult {
        outcomes = List.copyOf(outcomes);
    }
}
