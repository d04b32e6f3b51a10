package dev.tanrenai.evaluate.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders one evaluation's {@code report.json} as a single self-contained HTML5 file: CSS inline, charts
 * as inline SVG, no script and no URL of any kind, so nothing is ever fetched.
 *
 * <p>Order: the decision and its reasons (banner, forced notice, checks table); per-suite champion vs
 * candidate (forest plot and metrics table); the KL distribution; the training loss curve; data
 * lineage; the biggest per-item wins and losses with their text; provenance and policy values. Absent
 * optional sections read "none"; absent numbers read "—". All text from the JSON is HTML-escaped.
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * @throws IllegalArgumentException naming the JSON path of a missing or malformed required field
     */
    public static String render(JsonNode report) {
        return render(ReportReader.read(report));
    }

    public static String render(EvaluationReport r) {
        String body = DecisionSection.render(r)
                + SuiteSections.comparison(r)
                + SuiteSections.kl(r)
                + ContextSections.training(r)
                + ContextSections.lineage(r)
                + SuiteSections.winsAndLosses(r)
                + ContextSections.provenance(r);
        String title = r.decision().name() + " " + r.candidate().describe() + " vs "
                + r.baseline().describe() + " — evaluation " + r.id();
        return HtmlPage.document(title, "<h1>" + ReportText.html(title) + "</h1>\n" + body);
    }
}
