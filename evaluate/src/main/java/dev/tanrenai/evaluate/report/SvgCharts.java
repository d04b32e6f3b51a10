package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.html;
import static dev.tanrenai.evaluate.report.ReportText.num;

import dev.tanrenai.evaluate.report.EvaluationReport.Bin;
import dev.tanrenai.evaluate.report.EvaluationReport.Check;
import dev.tanrenai.evaluate.report.EvaluationReport.Kl;
import dev.tanrenai.evaluate.report.EvaluationReport.LossPoint;
import dev.tanrenai.evaluate.report.EvaluationReport.MetricResult;
import dev.tanrenai.evaluate.report.EvaluationReport.SuiteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts (no script, no external reference). Each chart is an {@code <svg>} with an
 * {@code id}, the class {@code chart} plus its kind ({@code forest}, {@code kl-histogram},
 * {@code loss-curve}), {@code role="img"} and a {@code <title>} naming what it shows.
 */
final class SvgCharts {

    private static final int WIDTH = 720;

    private SvgCharts() {}

    /**
     * Forest plot of one suite: per metric the difference candidate − baseline as a dot with its 95%
     * CI as a whisker, a solid zero line, and a dashed line at each check threshold for this suite
     * (across the metric's row, or the whole plot when the check names no metric). The dot is green
     * when the CI lies wholly on the metric's better side of zero, red when wholly on the worse side,
     * grey otherwise. The x-axis spans zero, every CI end, difference and threshold, padded by 8%.
     */
    static String forest(String id, SuiteResult suite, List<Check> checks) {
        List<MetricResult> metrics = suite.metrics();
        List<Check> lines = checks.stream()
                .filter(c -> c.suite().equals(suite.id()) && c.threshold() != null)
                .toList();
        List<Double> values = new ArrayList<>(List.of(0.0));
        for (MetricResult m : metrics) {
            addIfPresent(values, m.difference(), m.ciLow(), m.ciHigh());
        }
        lines.forEach(c -> values.add(c.threshold()));
        Scale x = Scale.of(values, 170, WIDTH - 20);
        int rowHeight = 30;
        int top = 28;
        int height = top + Math.max(1, metrics.size()) * rowHeight + 34;
        int bottom = height - 30;
        StringBuilder svg = open(
                id,
                "forest",
                height,
                "Candidate minus champion per metric of suite " + suite.id() + ", with 95% confidence intervals");
        svg.append(text(170, 16, "start", "axis-label", "difference (candidate − champion)"));
        axis(svg, x, bottom);
        svg.append(line(x.at(0), top - 6, x.at(0), bottom, "zero"));
        for (int i = 0; i < metrics.size(); i++) {
            MetricResult m = metrics.get(i);
            double y = top + i * rowHeight + rowHeight / 2.0;
            svg.append(text(160, y + 4, "end", "row-label", m.name() + (m.higherIsBetter() ? " ↑" : " ↓")));
            if (m.ciLow() != null && m.ciHigh() != null) {
                svg.append(line(x.at(m.ciLow()), y, x.at(m.ciHigh()), y, "whisker"));
                svg.append(line(x.at(m.ciLow()), y - 5, x.at(m.ciLow()), y + 5, "whisker"));
                svg.append(line(x.at(m.ciHigh()), y - 5, x.at(m.ciHigh()), y + 5, "whisker"));
            }
            if (m.difference() != null) {
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle class=\"estimate %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>%s: %s %s</title></circle>",
                        verdict(m),
                        x.at(m.difference()),
                        y,
                        html(m.name()),
                        html(ReportText.signed(m.difference())),
                        html(ReportText.interval(m.ciLow(), m.ciHigh()))));
            } else {
                svg.append(text(x.at(0) + 6, y + 4, "start", "missing", "no difference"));
            }
            for (Check c : lines) {
                if (m.name().equals(c.metric())) {
                    svg.append(threshold(c, x, y - rowHeight / 2.0 + 2, y + rowHeight / 2.0 - 2));
                }
            }
        }
        for (Check c : lines) {
            if (c.metric() == null) {
                svg.append(threshold(c, x, top - 6, bottom));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static void addIfPresent(List<Double> values, Double... xs) {
        for (Double v : xs) {
            if (v != null) {
                values.add(v);
            }
        }
    }

    private static String verdict(MetricResult m) {
        if (m.ciLow() == null || m.ciHigh() == null) {
            return "unclear";
        }
        boolean above = m.ciLow() > 0;
        boolean below = m.ciHigh() < 0;
        if (!above && !below) {
            return "unclear";
        }
        return above == m.higherIsBetter() ? "better" : "worse";
    }

    private static String threshold(Check c, Scale x, double y1, double y2) {
        return String.format(
                Locale.ROOT,
                "<line class=\"threshold\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>%s threshold %s</title></line>",
                x.at(c.threshold()),
                y1,
                x.at(c.threshold()),
                y2,
                html(c.name()),
                html(num(c.threshold())));
    }

    /**
     * The KL histogram: one bar per bin of equal width (bins are often log-spaced, so position is by
     * bin index), height proportional to its count; the mean, p95 and p99 are marked by interpolating
     * linearly within the bin that holds them (clamped to the histogram's ends).
     */
    static String klHistogram(String id, Kl kl) {
        List<Bin> bins = kl.histogram();
        int height = 240;
        int left = 60;
        int right = WIDTH - 20;
        int top = 20;
        int bottom = height - 40;
        StringBuilder svg = open(
                id,
                "kl-histogram",
                height,
                "Histogram of per-token KL(champion ‖ candidate) over " + kl.tokens() + " tokens");
        if (bins.isEmpty()) {
            svg.append(text(WIDTH / 2.0, height / 2.0, "middle", "missing", "no histogram"));
            return svg.append("</svg>\n").toString();
        }
        long maxCount = Math.max(1, bins.stream().mapToLong(Bin::count).max().orElse(1));
        double barWidth = (right - left) / (double) bins.size();
        int labelEvery = Math.max(1, (int) Math.ceil(bins.size() / 8.0));
        svg.append(line(left, bottom, right, bottom, "axis"));
        svg.append(line(left, top, left, bottom, "axis"));
        svg.append(text(left - 6, top + 4, "end", "tick", Long.toString(maxCount)));
        svg.append(text(left - 6, bottom, "end", "tick", "0"));
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            double h = (bottom - top) * b.count() / (double) maxCount;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>[%s, %s): %d</title></rect>",
                    left + i * barWidth + 1,
                    bottom - h,
                    Math.max(0.5, barWidth - 2),
                    h,
                    num(b.lo()),
                    num(b.hi()),
                    b.count()));
            if (i % labelEvery == 0) {
                svg.append(text(left + i * barWidth, bottom + 14, "middle", "tick", num(b.lo())));
            }
        }
        svg.append(text(
                right,
                bottom + 14,
                "middle",
                "tick",
                num(bins.get(bins.size() - 1).hi())));
        svg.append(text((left + right) / 2.0, bottom + 32, "middle", "axis-label", "KL per token (nats), by bin"));
        String[] names = {"mean", "p95", "p99"};
        double[] values = {kl.mean(), kl.p95(), kl.p99()};
        for (int i = 0; i < names.length; i++) {
            double pos = binPosition(bins, values[i], left, barWidth);
            svg.append(line(pos, top, pos, bottom, "marker " + names[i]));
            svg.append(text(pos + 3, top + 10 + 12 * i, "start", "marker-label", names[i] + " " + num(values[i])));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double binPosition(List<Bin> bins, double v, double left, double barWidth) {
        if (v <= bins.get(0).lo()) {
            return left;
        }
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            if (v < b.hi() || i == bins.size() - 1) {
                double within = b.hi() > b.lo() ? Math.min(1, (v - b.lo()) / (b.hi() - b.lo())) : 0;
                return left + (i + Math.max(0, within)) * barWidth;
            }
        }
        throw new IllegalStateException("unreachable: the last bin always matches");
    }

    /** The training loss curve: a polyline of loss against step on linear axes with rounded ticks. */
    static String lossCurve(String id, List<LossPoint> points) {
        int height = 260;
        StringBuilder svg = open(id, "loss-curve", height, "Training loss by step");
        if (points.isEmpty()) {
            svg.append(text(WIDTH / 2.0, height / 2.0, "middle", "missing", "no loss recorded"));
            return svg.append("</svg>\n").toString();
        }
        int bottom = height - 40;
        Scale x = Scale.of(points.stream().map(p -> (double) p.step()).toList(), 70, WIDTH - 20);
        Scale y = Scale.of(points.stream().map(LossPoint::loss).toList(), bottom, 16);
        axis(svg, x, bottom);
        svg.append(line(70, 16, 70, bottom, "axis"));
        for (double t : y.ticks()) {
            svg.append(text(64, y.at(t) + 4, "end", "tick", num(t)));
            svg.append(line(66, y.at(t), 70, y.at(t), "axis"));
        }
        StringBuilder pts = new StringBuilder();
        for (LossPoint p : points) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(p.step()), y.at(p.loss())));
        }
        svg.append("<polyline class=\"loss\" points=\"")
                .append(pts.toString().trim())
                .append("\"/>");
        svg.append(text((70 + WIDTH - 20) / 2.0, bottom + 34, "middle", "axis-label", "step"));
        svg.append(text(14, 12, "start", "axis-label", "loss"));
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder open(String id, String kind, int height, String title) {
        return new StringBuilder(String.format(
                Locale.ROOT,
                "<svg id=\"%s\" class=\"chart %s\" role=\"img\" aria-labelledby=\"%s-title\" viewBox=\"0 0 %d %d\" "
                        + "width=\"%d\" height=\"%d\"><title id=\"%s-title\">%s</title>",
                html(id),
                kind,
                html(id),
                WIDTH,
                height,
                WIDTH,
                height,
                html(id),
                html(title)));
    }

    private static void axis(StringBuilder svg, Scale x, double y) {
        svg.append(line(x.from(), y, x.to(), y, "axis"));
        for (double t : x.ticks()) {
            svg.append(line(x.at(t), y, x.at(t), y + 4, "axis"));
            svg.append(text(x.at(t), y + 16, "middle", "tick", num(t)));
        }
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return String.format(
                Locale.ROOT,
                "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                cls,
                x1,
                y1,
                x2,
                y2);
    }

    private static String text(double x, double y, String anchor, String cls, String content) {
        return String.format(
                Locale.ROOT,
                "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                cls,
                x,
                y,
                anchor,
                html(content));
    }
}
