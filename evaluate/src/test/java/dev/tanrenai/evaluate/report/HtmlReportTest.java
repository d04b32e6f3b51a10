package dev.tanrenai.evaluate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static final String HTML = HtmlReport.render(ReportFixture.load());

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** The text of the {@code <svg id="id" ...>...</svg>} element. */
    private static String svg(String html, String id) {
        int start = html.indexOf("<svg id=\"" + id + "\"");
        assertTrue(start >= 0, "no svg with id " + id);
        return html.substring(start, html.indexOf("</svg>", start));
    }

    @Test
    void isOneHtml5DocumentWithTheDecisionFirstAndSectionsInOrder() {
        assertTrue(HTML.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
        assertTrue(HTML.strip().endsWith("</html>"));
        assertTrue(HTML.contains("<header id=\"decision\" class=\"banner refuse\" data-decision=\"refuse\">"));
        assertTrue(HTML.contains("<div class=\"verdict\">REFUSE</div>"));
        assertFalse(HTML.contains("id=\"forced\""), "not forced, no forced notice");
        int last = -1;
        for (String id : List.of("decision", "checks", "suites", "kl", "training", "lineage", "items", "provenance")) {
            int at = HTML.indexOf("id=\"" + id + "\"");
            assertTrue(at > last, id + " comes after the previous section");
            last = at;
        }
    }

    @Test
    void checksTableListsFailuresFirstWithNumbersAndReasons() {
        String checks = HTML.substring(HTML.indexOf("<table class=\"checks\">"));
        checks = checks.substring(0, checks.indexOf("</table>"));
        assertEquals(1, count(checks, "<tr class=\"fail\">"));
        assertEquals(3, count(checks, "<tr class=\"pass\">"));
        assertTrue(checks.indexOf("general within budget") < checks.indexOf("heldout improves"));
        assertTrue(HTML.contains("3 of 4 checks passed."));
        assertTrue(checks.contains("<td class=\"n\">0.0251</td><td class=\"n\">0.02</td>"
                + "<td class=\"n\">[+0.0157, +0.0345]</td><td>CI upper bound 0.0345 exceeds the budget 0.02</td>"));
        // -0.0412345 to 4 significant digits; a null CI reads as a dash
        assertTrue(checks.contains("<td class=\"n\">-0.04123</td>"));
        assertTrue(
                checks.contains("<td>general KL budget</td><td class=\"result\">PASS</td><td>general</td><td>—</td>"));
    }

    @Test
    void everySuiteHasAForestPlotAndAMetricsTable() {
        assertEquals(5, count(HTML, "<svg "), "3 forest plots, 1 KL histogram, 1 loss curve");
        Matcher svgs =
                Pattern.compile("<svg ([^>]*)><title id=\"([^\"]+)-title\">").matcher(HTML);
        int found = 0;
        while (svgs.find()) {
            found++;
            assertTrue(svgs.group(1).contains("role=\"img\""), svgs.group(0));
            assertTrue(svgs.group(1).contains("class=\"chart "), svgs.group(0));
        }
        assertEquals(5, found);
        // lower-is-better NLL with CI below 0: better; general bits per byte with CI above 0: worse;
        // higher-is-better acc with CI above 0: better; no CI: unclear
        assertTrue(svg(HTML, "forest-heldout").contains("<circle class=\"estimate better\""));
        assertTrue(svg(HTML, "forest-heldout").contains("<circle class=\"estimate unclear\""));
        assertTrue(svg(HTML, "forest-general").contains("<circle class=\"estimate worse\""));
        assertTrue(svg(HTML, "forest-tasks-arc_easy").contains("<circle class=\"estimate better\""));
        String general = svg(HTML, "forest-general");
        assertEquals(1, count(general, "class=\"zero\""));
        assertTrue(general.contains("<title>general within budget threshold 0.02</title>"));
        assertTrue(general.contains("<title>general KL budget threshold 0.05</title>"));
        assertFalse(svg(HTML, "forest-tasks-arc_easy").contains("class=\"threshold\""), "its check has no threshold");
        assertTrue(HTML.contains("<td class=\"n\">b=2 c=10 p=0.0215</td>"));
        assertTrue(HTML.contains("<td class=\"n\">2.346</td><td class=\"n\">2.304</td><td class=\"n\">-0.04123</td>"
                + "<td class=\"n\">[-0.0612, -0.0213]</td><td class=\"n\">0.015</td><td class=\"n\">0.0102</td>"));
    }

    @Test
    void forestPlotPlacesTheEstimateOnALinearAxisThroughZero() {
        String general = svg(HTML, "forest-general");
        // values on the axis: 0, difference 0.0251, CI 0.0157..0.0345, thresholds 0.02 and 0.05;
        // range [0, 0.05] padded by 8% (0.004) -> [-0.004, 0.054] drawn over x in [170, 700]
        double lo = -0.004;
        double hi = 0.054;
        double cx = 170 + (0.0251 - lo) / (hi - lo) * 530;
        double zero = 170 + (0 - lo) / (hi - lo) * 530;
        assertTrue(general.contains(String.format(Locale.ROOT, "cx=\"%.1f\"", cx)), general);
        assertTrue(general.contains(String.format(Locale.ROOT, "<line class=\"zero\" x1=\"%.1f\"", zero)), general);
    }

    @Test
    void klAndTrainingChartsCarryTheirNumbers() {
        String kl = svg(HTML, "kl-general");
        assertEquals(4, count(kl, "<rect class=\"bar\""));
        // the tallest bar (30000) spans the plot height 180, the 160 bar 180 * 160 / 30000 = 0.96
        assertTrue(kl.contains("height=\"180.0\"><title>[0, 0.01): 30000</title>"));
        assertTrue(kl.contains("height=\"1.0\"><title>[0.1, 0.31): 160</title>"));
        assertTrue(HTML.contains("<td class=\"n\">40960</td><td class=\"n\">0.0123</td><td class=\"n\">0.045</td>"
                + "<td class=\"n\">0.09</td><td class=\"n\">0.31</td><td class=\"n\">87.65%</td>"));
        String loss = svg(HTML, "loss-curve");
        Matcher points =
                Pattern.compile("<polyline class=\"loss\" points=\"([^\"]+)\"").matcher(loss);
        assertTrue(points.find());
        assertEquals(4, points.group(1).split(" ").length);
        assertTrue(HTML.contains("loss 3.2 at step 0 → 2.3 at step 30 (4 points)"));
    }

    @Test
    void escapesAllTextAndReferencesNothingOutside() {
        assertFalse(HTML.toLowerCase(Locale.ROOT).contains("<script"), "item text must not become a script");
        assertTrue(HTML.contains("User: what is &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; why?"));
        assertTrue(HTML.contains("say &quot;hi&quot;"));
        for (String forbidden : List.of("http://", "https://", "src=", "href=", "url(", "@import", "<link", "<img")) {
            assertFalse(HTML.toLowerCase(Locale.ROOT).contains(forbidden), "report contains " + forbidden);
        }
    }

    @Test
    void forcedDecisionIsShownLoudlyWithItsEscapedReason() {
        ObjectNode report = ReportFixture.load();
        report.put("decision", "promote").put("forced", true).put("forceReason", "release <b>now</b>");
        String html = HtmlReport.render(report);
        assertTrue(html.contains("class=\"banner promote\""));
        assertTrue(html.contains("<div class=\"verdict\">PROMOTE (FORCED)</div>"));
        assertTrue(html.contains("<div id=\"forced\" class=\"forced\">FORCED: the gate was overridden by hand. "
                + "Reason: release &lt;b&gt;now&lt;/b&gt;</div>"));
    }

    @Test
    void missingOptionalSectionsRenderAsNone() {
        ObjectNode report = ReportFixture.load();
        report.remove("training");
        report.putNull("lineage");
        ReportFixture.suite(report, 1).putNull("kl");
        ReportFixture.suite(report, 0).remove(List.of("wins", "losses", "notes"));
        String html = HtmlReport.render(report);
        assertTrue(html.contains("No training run is linked to this candidate."));
        assertTrue(html.contains("No data lineage was recorded."));
        assertTrue(html.contains("No suite measured KL divergence."));
        assertTrue(html.contains("No per-item wins or losses were reported."));
        assertEquals(3, count(html, "<svg "), "only the forest plots remain");
    }

    private static void assertRejected(String path, Consumer<ObjectNode> breakIt) {
        ObjectNode report = ReportFixture.load();
        breakIt.accept(report);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(report));
        assertTrue(e.getMessage().startsWith(path + ":"), "expected the path " + path + " in: " + e.getMessage());
    }

    @Test
    void missingOrMalformedRequiredFieldsNameTheirJsonPath() {
        assertRejected("$.suites[1].metrics[0].name", r -> ((ObjectNode)
                        ReportFixture.suite(r, 1).withArray("metrics").get(0))
                .remove("name"));
        assertRejected("$.candidate.baseSha256", r -> ((ObjectNode) r.get("candidate")).remove("baseSha256"));
        assertRejected("$.decision", r -> r.put("decision", "maybe"));
        assertRejected(
                "$.checks[2].kind", r -> ((ObjectNode) r.withArray("checks").get(2)).put("kind", "vibes"));
        assertRejected("$.forceReason", r -> r.put("forced", true));
        assertRejected("$.suites[0].items", r -> ReportFixture.suite(r, 0).put("items", "many"));
        assertRejected("$.suites[2].metrics[0].mcnemar.p", r -> ((ObjectNode)
                        ReportFixture.suite(r, 2).withArray("metrics").get(0).get("mcnemar"))
                .put("p", 1.5));
        assertRejected("$.provenance", r -> r.remove("provenance"));
        assertRejected("$.schema", r -> r.put("schema", 2));
        assertRejected(
                "$.checks[0].ciLow", r -> ((ObjectNode) r.withArray("checks").get(0)).put("ciLow", 1.0));
    }
}
