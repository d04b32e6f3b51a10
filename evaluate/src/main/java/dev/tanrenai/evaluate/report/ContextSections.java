package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.html;
import static dev.tanrenai.evaluate.report.ReportText.num;

import dev.tanrenai.evaluate.report.EvaluationReport.Lineage;
import dev.tanrenai.evaluate.report.EvaluationReport.LossPoint;
import dev.tanrenai.evaluate.report.EvaluationReport.Training;
import java.util.List;

/**
 * The context sections: the training run (loss curve and hyper-parameters), data lineage (snapshot,
 * curate counts, replay share, inputs), the promotion policy's values, and provenance.
 */
final class ContextSections {

    private ContextSections() {}

    static String training(EvaluationReport r) {
        Training t = r.training();
        if (t == null) {
            return HtmlPage.section(
                    "training", "Training", HtmlPage.none("No training run is linked to this candidate."));
        }
        StringBuilder out =
                new StringBuilder("<p>Run <code>").append(html(t.runId())).append("</code>");
        List<LossPoint> loss = t.loss();
        if (!loss.isEmpty()) {
            LossPoint first = loss.get(0);
            LossPoint last = loss.get(loss.size() - 1);
            out.append(": loss ")
                    .append(html(num(first.loss())))
                    .append(" at step ")
                    .append(first.step())
                    .append(" → ")
                    .append(html(num(last.loss())))
                    .append(" at step ")
                    .append(last.step())
                    .append(" (")
                    .append(loss.size())
                    .append(" points)");
        }
        out.append(".</p>\n").append(SvgCharts.lossCurve("loss-curve", loss));
        if (t.hyperparameters() != null) {
            out.append("<h3>Hyper-parameters</h3>\n").append(KeyValues.table(t.hyperparameters()));
        }
        return HtmlPage.section("training", "Training", out.toString());
    }

    static String lineage(EvaluationReport r) {
        Lineage l = r.lineage();
        if (l == null) {
            return HtmlPage.section("lineage", "Data lineage", HtmlPage.none("No data lineage was recorded."));
        }
        StringBuilder out = new StringBuilder("<table class=\"kv\">\n<tr><th>snapshot</th><td>")
                .append(l.snapshotId() == null ? ReportText.NONE : "<code>" + html(l.snapshotId()) + "</code>")
                .append("</td></tr>\n<tr><th>replay share</th><td>")
                .append(html(ReportText.percent(l.replayShare())))
                .append("</td></tr>\n<tr><th>curate counts</th><td>")
                .append(l.curateCounts() == null ? ReportText.NONE : KeyValues.table(l.curateCounts()))
                .append("</td></tr>\n<tr><th>inputs</th><td>")
                .append(l.inputs() == null ? ReportText.NONE : KeyValues.table(l.inputs()))
                .append("</td></tr>\n</table>\n");
        return HtmlPage.section("lineage", "Data lineage", out.toString());
    }

    static String provenance(EvaluationReport r) {
        StringBuilder out = new StringBuilder("<p>Code version <code>")
                .append(html(r.provenance().codeVersion()))
                .append("</code>.</p>\n")
                .append(KeyValues.table(r.provenance().all()));
        out.append("<h3>Policy values</h3>\n<p class=\"meta\">")
                .append(html(r.policy().source()))
                .append(", SHA-256 <span class=\"sha\">")
                .append(html(r.policy().sha256()))
                .append("</span></p>\n")
                .append(KeyValues.table(r.policy().values()));
        return HtmlPage.section("provenance", "Provenance", out.toString());
    }
}
