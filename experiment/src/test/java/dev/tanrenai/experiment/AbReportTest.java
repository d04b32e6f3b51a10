package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTML report: self-contained, its series read from the recorded evaluations, text escaped. */
class AbReportTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void seriesBandsComeFromTheRecordedNumbersAndThePageIsSelfContained() {
        Experiment e = new Experiment(
                "ab-1-x",
                "champ",
                "chall",
                0.5,
                T0,
                0,
                "test",
                ExperimentConfig.defaults(),
                Experiment.Status.RUNNING,
                null,
                null);
        PrimaryStats a = new PrimaryStats();
        PrimaryStats b = new PrimaryStats();
        for (double v : new double[] {0, 1, 0, 1}) {
            a.add(v);
        }
        for (double v : new double[] {1, 1, 0, 1}) {
            b.add(v);
        }
        Verdict v = Decider.decide(
                ExperimentConfig.defaults(), ArmSummary.ofPrimary(a), ArmSummary.ofPrimary(b), Duration.ZERO);
        JsonNode numbers = VerdictJson.verdict(v);
        DecisionRecord d = new DecisionRecord(e.id(), 1, T0, v.decision(), v.reason(), numbers, "test");
        List<double[]> rows = AbReport.series(List.of(d));
        // champion: mean 0.5, sample variance 1/3, standard error sqrt(1/12); band 0.5 -+ 1.96 * 0.288675
        assertEquals(0.5 - 1.96 * Math.sqrt(1 / 12.0), rows.get(0)[1], 1e-9);
        assertEquals(0.75 + 1.96 * Math.sqrt(0.25 / 4), rows.get(0)[4], 1e-9);
        assertEquals(0.25, rows.get(0)[6], 1e-12);
        Map<ExperimentArm, Conversation> byArm = new EnumMap<>(ExperimentArm.class);
        byArm.put(
                ExperimentArm.CHAMPION,
                new Conversation(
                        "c1", "serve", T0, T0, List.of(Message.user("<b>hi</b>"), Message.assistant("x")), Map.of()));
        String html = AbReport.html(e, v, List.of(d, d), List.of(new Samples.Pair("<b>hi</b>", byArm)));
        assertTrue(html.contains("<svg") && html.contains("<polygon"), "charts with bands");
        assertTrue(
                html.contains("&lt;b&gt;hi&lt;/b&gt;") && !html.contains("<b>hi</b>"), "conversation text is escaped");
        assertTrue(html.contains("(no conversation of this kind)"));
        assertFalse(
                html.contains("<script") || html.contains("http://") || html.contains("https://"), "self-contained");
    }
}
