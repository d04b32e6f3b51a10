package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.html;
import static dev.tanrenai.evaluate.report.ReportText.interval;
import static dev.tanrenai.evaluate.report.ReportText.num;
import static dev.tanrenai.evaluate.report.ReportText.signed;

import dev.tanrenai.evaluate.report.EvaluationReport.ItemDelta;
import dev.tanrenai.evaluate.report.EvaluationReport.Kl;
import dev.tanrenai.evaluate.report.EvaluationReport.MetricResult;
import dev.tanrenai.evaluate.report.EvaluationReport.SuiteResult;
import java.util.List;
import java.util.Locale;

/**
 * The per-suite parts of the report: champion against candidate (forest plot and metrics table), the KL
 * distribution of each suite that has one, and each suite's biggest per-item wins and losses with their
 * text.
 */
final class SuiteSections {

    private SuiteSections() {}

    /** A DOM id made of lower-case letters, digits, {@code -} and {@code _} from a suite id. */
    static String domId(String prefix, String suiteId) {
        return prefix + "-" + suiteId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    }

    static String comparison(EvaluationReport r) {
        if (r.suites().isEmpty()) {
            return HtmlPage.section("suites", "Champion vs candidate", HtmlPage.none("No suites were scored."));
        }
        StringBuilder out = new StringBuilder();
        for (SuiteResult s : r.suites()) {
            out.append("<div class=\"suite\" id=\"")
                    .append(domId("suite", s.id()))
                    .append("\">\n<h3>")
                    .append(html(s.id()))
                    .append(" <span class=\"meta\">")
                    .append(html(s.kind()))
                    .append(" v")
                    .append(s.version())
                    .append(", ")
                    .append(s.items())
                    .append(" items in ")
                    .append(s.clusters())
                    .append(" clusters, content <span class=\"sha\" title=\"")
                    .append(html(s.contentSha256()))
                    .append("\">")
                    .append(html(ReportText.shortSha(s.contentSha256())))
                    .append("</span></span></h3>\n<p>")
                    .append(html(s.description()))
                    .append("</p>\n");
            if (s.metrics().isEmpty()) {
                out.append(HtmlPage.none("This suite reported no metrics."));
            } else {
                out.append(SvgCharts.forest(domId("forest", s.id()), s, r.checks()));
                out.append(metricsTable(s.metrics()));
            }
            if (s.notes() != null && !s.notes().isEmpty()) {
                out.append("<details><summary>notes</summary>\n")
                        .append(KeyValues.table(s.notes()))
                        .append("</details>\n");
            }
            out.append("</div>\n");
        }
        return HtmlPage.section(
                "suites",
                "Champion vs candidate",
                "<p class=\"meta\">Difference = candidate − champion; 95% CI by the paired, clustered bootstrap; "
                        + "MDE = minimum detectable effect; ↑ higher is better, ↓ lower is better. Dashed lines are "
                        + "check thresholds.</p>\n" + out);
    }

    private static String metricsTable(List<MetricResult> metrics) {
        StringBuilder t = new StringBuilder("<table class=\"metrics\">\n<tr><th>metric</th><th>better</th>"
                + "<th>champion</th><th>candidate</th><th>difference</th><th>95% CI</th><th>MDE</th><th>SE</th>"
                + "<th>McNemar</th></tr>\n");
        for (MetricResult m : metrics) {
            String mcnemar = m.mcnemar() == null
                    ? ReportText.NONE
                    : "b=" + m.mcnemar().b() + " c=" + m.mcnemar().c() + " p="
                            + ReportText.pValue(m.mcnemar().p());
            t.append("<tr><td title=\"")
                    .append(html(m.description()))
                    .append("\">")
                    .append(html(m.name()))
                    .append("</td><td>")
                    .append(m.higherIsBetter() ? "higher" : "lower")
                    .append("</td>")
                    .append(cell(num(m.baseline())))
                    .append(cell(num(m.candidate())))
                    .append(cell(signed(m.difference())))
                    .append(cell(interval(m.ciLow(), m.ciHigh())))
                    .append(cell(num(m.mde())))
                    .append(cell(num(m.standardError())))
                    .append(cell(mcnemar))
                    .append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String cell(String text) {
        return "<td class=\"n\">" + html(text) + "</td>";
    }

    static String kl(EvaluationReport r) {
        StringBuilder out = new StringBuilder();
        for (SuiteResult s : r.suites()) {
            Kl kl = s.kl();
            if (kl == null) {
                continue;
            }
            out.append("<h3>")
                    .append(html(s.id()))
                    .append("</h3>\n")
                    .append(SvgCharts.klHistogram(domId("kl", s.id()), kl))
                    .append("<table class=\"kl-summary\"><tr><th>tokens</th><th>mean</th><th>p95</th><th>p99</th>"
                            + "<th>max</th><th>top-1 agreement</th></tr>\n<tr>")
                    .append(cell(Long.toString(kl.tokens())))
                    .append(cell(num(kl.mean())))
                    .append(cell(num(kl.p95())))
                    .append(cell(num(kl.p99())))
                    .append(cell(num(kl.max())))
                    .append(cell(ReportText.percent(kl.top1Agreement())))
                    .append("</tr></table>\n");
        }
        String content = out.isEmpty() ? HtmlPage.none("No suite measured KL divergence.") : out.toString();
        return HtmlPage.section(
                "kl",
                "KL(champion ‖ candidate) per token",
                "<p class=\"meta\">How far the candidate's next-token distribution moved from the champion's, in nats; "
                        + "top-1 agreement is the share of tokens where both rank the same token first.</p>\n"
                        + content);
    }

    static String winsAndLosses(EvaluationReport r) {
        StringBuilder out = new StringBuilder();
        for (SuiteResult s : r.suites()) {
            if (s.wins().isEmpty() && s.losses().isEmpty()) {
                continue;
            }
            out.append("<h3 id=\"")
                    .append(domId("items", s.id()))
                    .append("\">")
                    .append(html(s.id()))
                    .append("</h3>\n")
                    .append(items("Biggest wins (candidate better)", "wins", s.wins()))
                    .append(items("Biggest losses (candidate worse)", "losses", s.losses()));
        }
        String content = out.isEmpty() ? HtmlPage.none("No per-item wins or losses were reported.") : out.toString();
        return HtmlPage.section("items", "Biggest per-item wins and losses", content);
    }

    private static String items(String caption, String cls, List<ItemDelta> items) {
        if (items.isEmpty()) {
            return "<p class=\"none\">" + html(caption) + ": none.</p>\n";
        }
        StringBuilder t = new StringBuilder("<table class=\"" + cls + "\"><caption>" + html(caption)
                + "</caption>\n<tr><th>item</th><th>champion</th><th>candidate</th><th>improvement</th>"
                + "<th>text</th></tr>\n");
        for (ItemDelta i : items) {
            t.append("<tr><td><code>")
                    .append(html(i.itemId()))
                    .append("</code></td>")
                    .append(cell(num(i.baseline())))
                    .append(cell(num(i.candidate())))
                    .append(cell(signed(i.improvement())))
                    .append("<td><div class=\"itemtext\">")
                    .append(html(i.text()))
                    .append("</div></td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }
}
