package dev.tanrenai.evaluate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.evaluate.stats.Comparison;
import dev.tanrenai.evaluate.stats.Estimate;
import dev.tanrenai.evaluate.stats.McNemarResult;
import dev.tanrenai.evaluate.suite.SuiteInfo;
import dev.tanrenai.evaluate.suite.SuiteKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate gate = new Gate(Policy.defaults());

    private static SuiteInfo suite(String id, SuiteKind kind) {
        return new SuiteInfo(id, kind, 1, "c".repeat(64), id, Map.of());
    }

    /** A lower-is-better comparison: baseline → candidate with the difference's interval. */
    private static Comparison lower(String metric, double base, double cand, double lo, double hi) {
        return new Comparison(
                metric, false, base, cand, cand - base, lo, hi, (hi - lo) / 4, 100, 100, 10_000, 1, 0.95, null, "");
    }

    private static SuiteOutcome heldout(double base, double cand, double lo, double hi) {
        return new SuiteOutcome(
                suite("heldout", SuiteKind.HELDOUT),
                Map.of("nll_per_token", lower("nll_per_token", base, cand, lo, hi)),
                null,
                null);
    }

    private static SuiteOutcome general(double bpbLo, double bpbHi, double klMean, double klHi) {
        return new SuiteOutcome(
                suite("general", SuiteKind.GENERAL),
                Map.of("bits_per_byte", lower("bits_per_byte", 1.5, 1.5 + (bpbLo + bpbHi) / 2, bpbLo, bpbHi)),
                new Estimate(
                        "kl_mean",
                        false,
                        klMean,
                        klMean / 2,
                        klHi,
                        (klHi - klMean / 2) / 4,
                        100,
                        100,
                        10_000,
                        1,
                        0.95,
                        ""),
                null);
    }

    @Test
    void aBetterCandidateThatForgetsNothingIsPromotedWithItsNumbersInWords() {
        Decision d =
                gate.decide(List.of(heldout(2.0, 1.6, -0.5, -0.3), general(-0.004, 0.006, 0.02, 0.03)), Map.of(), null);
        assertTrue(d.promote());
        assertFalse(d.forced());
        assertEquals(
                List.of(
                        "heldout present",
                        "general present",
                        "heldout improves",
                        "general retains (bits_per_byte)",
                        "general KL within budget"),
                d.checks().stream().map(Check::name).toList());
        Check improves = d.checks().get(2);
        assertEquals(-0.4, improves.observed(), 1e-12); // NLL fell by 0.4: difference −0.4
        assertEquals(-0.5, improves.ciLow(), 1e-12);
        assertEquals(-0.3, improves.ciHigh(), 1e-12);
        assertTrue(improves.reason().contains("improved by 0.4 (95% CI 0.3 to 0.5"), improves.reason());
        assertTrue(d.summary().startsWith("Promote: all 5 checks passed"), d.summary());
    }

    @Test
    void aCandidateIdenticalToTheChampionIsRefusedForNoImprovementWithoutAForgettingAlarm() {
        Decision d = gate.decide(List.of(heldout(2.0, 2.0, 0, 0), general(0, 0, 0, 0)), Map.of(), null);
        assertFalse(d.promote());
        assertEquals(
                List.of("heldout improves"),
                d.failed().stream().map(Check::name).toList());
        assertTrue(
                d.failed().get(0).reason().contains("did not improve enough"),
                d.failed().get(0).reason());
        assertTrue(d.summary().startsWith("Refuse: 1 of 5 checks failed — heldout:"), d.summary());
    }

    @Test
    void aCandidateThatForgetsIsRefusedNamingTheRetentionSuiteAndItsNumbers() {
        Decision d = gate.decide(List.of(heldout(2.0, 0.5, -1.6, -1.4), general(0.3, 0.5, 0.9, 1.1)), Map.of(), null);
        assertFalse(d.promote());
        List<Check> failed = d.failed();
        assertEquals(
                List.of("general retains (bits_per_byte)", "general KL within budget"),
                failed.stream().map(Check::name).toList());
        assertEquals(0.5, failed.get(0).ciHigh(), 1e-12);
        assertEquals(0.02, failed.get(0).threshold(), 1e-12);
        assertTrue(failed.get(0).reason().contains("FORGETTING: the upper bound exceeds the budget 0.02"));
        assertTrue(d.summary().contains("general: bits_per_byte changed by 0.4"), d.summary());
    }

    @Test
    void aRequiredSuiteOrMetricThatIsMissingFails() {
        Policy strict = PolicyYaml.parse("version: 1\nrequired_suites: [heldout, replay, general]\n", "p.yaml", "x");
        Decision d = new Gate(strict)
                .decide(
                        List.of(
                                heldout(2.0, 1.0, -1.1, -0.9),
                                new SuiteOutcome(suite("general", SuiteKind.GENERAL), Map.of(), null, null)),
                        Map.of("replay", "the replay buffer holds no earlier night's conversations"),
                        null);
        assertFalse(d.promote());
        assertEquals(
                List.of("replay present", "general retains (bits_per_byte)", "general KL within budget"),
                d.failed().stream().map(Check::name).toList());
        assertTrue(d.failed().get(0).reason().contains("holds no earlier night"));
        assertTrue(d.failed().get(1).reason().contains("metric bits_per_byte is missing"));
    }

    @Test
    void aTaskLossCountsOnlyWhenMcNemarFindsItSignificant() {
        Comparison smallLoss = new Comparison(
                "acc",
                true,
                0.6,
                0.56,
                0.56 - 0.6,
                -0.1,
                0.02,
                0.03,
                50,
                50,
                10_000,
                1,
                0.95,
                McNemarResult.of(4, 2),
                "");
        Comparison bigLoss = new Comparison(
                "acc_norm",
                true,
                0.6,
                0.3,
                0.3 - 0.6,
                -0.42,
                -0.18,
                0.06,
                50,
                50,
                10_000,
                1,
                0.95,
                McNemarResult.of(15, 0),
                "");
        SuiteOutcome tasks = new SuiteOutcome(
                suite("tasks/arc_easy", SuiteKind.TASKS), Map.of("acc", smallLoss, "acc_norm", bigLoss), null, null);
        Decision d = gate.decide(
                List.of(heldout(2.0, 1.0, -1.1, -0.9), general(0, 0.01, 0.01, 0.02), tasks), Map.of(), null);
        assertEquals(
                List.of("tasks/arc_easy no significant loss (acc_norm)"),
                d.failed().stream().map(Check::name).toList());
        // 15 lost, 0 gained: p = 2 * 0.5^15
        assertTrue(
                d.failed().get(0).reason().contains("exact p=6.104e-05"),
                d.failed().get(0).reason());
    }

    @Test
    void aFailedMustPassProbeRefusesAndNamesTheProbeAndItsAnswer() {
        SuiteOutcome probes = new SuiteOutcome(
                suite("probes", SuiteKind.PROBES), Map.of(), null, Map.of("capital", "Lyon is the capital"));
        Decision d = gate.decide(
                List.of(heldout(2.0, 1.0, -1.1, -0.9), general(0, 0.01, 0.01, 0.02), probes), Map.of(), null);
        assertFalse(d.promote());
        assertEquals(
                "1 must-pass probe(s) failed: capital answered \"Lyon is the capital\"",
                d.failed().get(0).reason());
    }

    @Test
    void aForcedPromotionIsRecordedAsForcedWithItsReasonAndKeepsTheFailedChecks() {
        Decision d =
                gate.decide(List.of(heldout(2.0, 2.0, 0, 0), general(0, 0, 0, 0)), Map.of(), "hotfix tested by hand");
        assertTrue(d.promote());
        assertTrue(d.forced());
        assertEquals("hotfix tested by hand", d.forceReason());
        assertEquals(1, d.failed().size());
        assertTrue(d.summary().startsWith("Forced promotion over 1 of 5 checks failed"), d.summary());
        assertThrows(
                IllegalArgumentException.class, () -> gate.decide(List.of(heldout(2, 1, -1.1, -0.9)), Map.of(), " "));
    }
}
