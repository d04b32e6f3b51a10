package dev.tanrenai.evaluate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {

    @Test
    void summarisesDecisionChecksAndSuitesInAFewLines() {
        String md = MarkdownSummary.render(ReportFixture.load());
        String[] lines = md.split("\n", -1);
        assertTrue(lines.length <= 25, "at most 25 lines, got " + lines.length);
        assertEquals(
                "**REFUSE** Refused: heldout improved but general bits per byte rose beyond its budget.", lines[0]);
        assertTrue(md.contains("Candidate `stories260K + adapter-7` vs champion `stories260K + adapter-6` "
                + "(evaluation `ev-20250101-0300-abc123`)"));
        assertTrue(md.contains("| check | result | numbers |\n|---|---|---|\n"
                + "| general within budget | **FAIL** | observed 0.0251, threshold 0.02, CI [+0.0157, +0.0345] |\n"
                + "| heldout improves | pass | observed -0.04123, threshold 0, CI [-0.0612, -0.0213] |\n"
                + "| general KL budget | pass | observed 0.0123, threshold 0.05 |\n"
                + "| arc_easy no loss | pass | observed 0.04, CI [+0.005, +0.075] |\n"));
        assertTrue(md.contains("\n3/4 checks passed.\n"));
        assertTrue(md.contains(
                "- **heldout** (120 items): nll_per_token 2.346 → 2.304 (-0.04123, 95% CI [-0.0612, -0.0213])\n"));
        assertTrue(
                md.contains("- **general** (50 items): bits_per_byte 1.2 → 1.225 (+0.0251, 95% CI [+0.0157, +0.0345]);"
                        + " KL mean 0.0123, p99 0.09\n"));
        assertTrue(md.contains("- **tasks/arc_easy** (100 items): acc 0.41 → 0.45 (+0.04, 95% CI [+0.005, +0.075])\n"));
    }

    @Test
    void forcedReasonAndTableBreakingTextAreEscaped() {
        ObjectNode report = ReportFixture.load();
        report.put("decision", "promote").put("forced", true).put("forceReason", "ship it\nnow");
        ((ObjectNode) report.withArray("checks").get(0))
                .put("name", "a | b")
                .putNull("observed")
                .putNull("threshold");
        ((ObjectNode) report.withArray("checks").get(0)).putNull("ciLow");
        String md = MarkdownSummary.render(report);
        assertTrue(md.startsWith("**PROMOTE (FORCED)** "));
        assertTrue(md.contains("\n> Forced by hand: ship it now\n"));
        // no numbers left: the reason stands in
        assertTrue(md.contains("| a \\| b | pass | the NLL decrease CI lies above 0 |\n"));
    }

    @Test
    void longCheckListsAreCountedNotListed() {
        ObjectNode report = ReportFixture.load();
        ArrayNode checks = report.withArray("checks");
        for (int i = 0; i < 16; i++) {
            checks.add(checks.get(3).deepCopy());
        }
        String md = MarkdownSummary.render(report);
        assertTrue(md.contains("| … 8 more | | |\n"), md);
        assertTrue(md.contains("\n19/20 checks passed.\n"));
        assertTrue(md.split("\n").length <= 27, md);
    }

    @Test
    void missingRequiredFieldNamesItsPath() {
        ObjectNode report = ReportFixture.load();
        ((ObjectNode) report.get("baseline")).remove("describe");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MarkdownSummary.render(report));
        assertEquals("$.baseline.describe: required field is missing", e.getMessage());
    }
}
