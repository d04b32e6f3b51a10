package dev.tanrenai.evaluate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.evaluate.report.EvaluationReport.Bin;
import dev.tanrenai.evaluate.report.EvaluationReport.Check;
import dev.tanrenai.evaluate.report.EvaluationReport.Decision;
import dev.tanrenai.evaluate.report.EvaluationReport.ItemDelta;
import dev.tanrenai.evaluate.report.EvaluationReport.Kl;
import dev.tanrenai.evaluate.report.EvaluationReport.Lineage;
import dev.tanrenai.evaluate.report.EvaluationReport.LossPoint;
import dev.tanrenai.evaluate.report.EvaluationReport.McNemar;
import dev.tanrenai.evaluate.report.EvaluationReport.MetricResult;
import dev.tanrenai.evaluate.report.EvaluationReport.Party;
import dev.tanrenai.evaluate.report.EvaluationReport.Policy;
import dev.tanrenai.evaluate.report.EvaluationReport.Provenance;
import dev.tanrenai.evaluate.report.EvaluationReport.SuiteResult;
import dev.tanrenai.evaluate.report.EvaluationReport.Training;

/**
 * Reads a {@code report.json} tree into an {@link EvaluationReport}. Every missing required field,
 * wrong type or out-of-range value is an {@link IllegalArgumentException} whose message starts with
 * the JSON path, e.g. {@code $.suites[0].metrics[1].name: required field is missing}. Optional
 * sections ({@code training}, {@code lineage}, {@code kl}, wins/losses) may be absent or null.
 */
public final class ReportReader {

    private ReportReader() {}

    public static EvaluationReport read(JsonNode json) {
        JsonPath root = JsonPath.root(json);
        long schema = root.integer("schema");
        if (schema != EvaluationReport.SCHEMA) {
            throw new IllegalArgumentException(
                    root.at("schema") + ": this renderer reads schema " + EvaluationReport.SCHEMA + ", got " + schema);
        }
        String decision = root.text("decision");
        Decision parsed =
                switch (decision) {
                    case "promote" -> Decision.PROMOTE;
                    case "refuse" -> Decision.REFUSE;
                    default ->
                        throw new IllegalArgumentException(
                                root.at("decision") + ": expected \"promote\" or \"refuse\", got \"" + decision + "\"");
                };
        boolean forced = root.bool("forced");
        String forceReason = root.optText("forceReason");
        if (forced && (forceReason == null || forceReason.isBlank())) {
            throw new IllegalArgumentException(root.at("forceReason") + ": a forced decision needs its reason");
        }
        return new EvaluationReport(
                root.text("id"),
                root.text("createdAt"),
                parsed,
                forced,
                forceReason,
                root.text("summary"),
                party(root.object("candidate")),
                party(root.object("baseline")),
                policy(root.object("policy")),
                root.array("checks").stream().map(ReportReader::check).toList(),
                root.array("suites").stream().map(ReportReader::suite).toList(),
                training(root.optObject("training")),
                lineage(root.optObject("lineage")),
                provenance(root.object("provenance")));
    }

    private static Party party(JsonPath p) {
        return new Party(p.text("id"), p.text("describe"), p.text("baseSha256"), p.optText("adapterSha256"));
    }

    private static Policy policy(JsonPath p) {
        JsonPath values = p.optObject("values");
        return new Policy(p.text("source"), p.text("sha256"), values == null ? null : values.node());
    }

    private static Check check(JsonPath element) {
        JsonPath c = element.requireObject();
        String kind = c.text("kind");
        if (!EvaluationReport.CHECK_KINDS.contains(kind)) {
            throw new IllegalArgumentException(c.at("kind") + ": unknown check kind \"" + kind + "\" (known: "
                    + String.join(", ", EvaluationReport.CHECK_KINDS) + ")");
        }
        Double ciLow = c.optNumber("ciLow");
        Double ciHigh = c.optNumber("ciHigh");
        requireOrdered(c, ciLow, ciHigh);
        return new Check(
                c.text("name"),
                c.text("suite"),
                c.optText("metric"),
                kind,
                c.bool("passed"),
                c.text("reason"),
                c.optNumber("observed"),
                c.optNumber("threshold"),
                ciLow,
                ciHigh);
    }

    private static void requireOrdered(JsonPath at, Double low, Double high) {
        if (low != null && high != null && low > high) {
            throw new IllegalArgumentException(at.at("ciLow") + ": CI lower bound " + low + " exceeds upper " + high);
        }
    }

    private static SuiteResult suite(JsonPath element) {
        JsonPath s = element.requireObject();
        JsonPath notes = s.optObject("notes");
        return new SuiteResult(
                s.text("id"),
                s.text("kind"),
                s.integer("version"),
                s.text("contentSha256"),
                s.text("description"),
                nonNegative(s, "items"),
                nonNegative(s, "clusters"),
                notes == null ? null : notes.node(),
                s.array("metrics").stream().map(ReportReader::metric).toList(),
                kl(s.optObject("kl")),
                s.optArray("wins").stream().map(ReportReader::item).toList(),
                s.optArray("losses").stream().map(ReportReader::item).toList());
    }

    private static long nonNegative(JsonPath p, String field) {
        long value = p.integer(field);
        if (value < 0) {
            throw new IllegalArgumentException(p.at(field) + ": must be >= 0, got " + value);
        }
        return value;
    }

    private static MetricResult metric(JsonPath element) {
        JsonPath m = element.requireObject();
        Double ciLow = m.optNumber("ciLow");
        Double ciHigh = m.optNumber("ciHigh");
        requireOrdered(m, ciLow, ciHigh);
        JsonPath mc = m.optObject("mcnemar");
        McNemar mcnemar = null;
        if (mc != null) {
            double p = mc.number("p");
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(mc.at("p") + ": a p-value lies in [0, 1], got " + p);
            }
            mcnemar = new McNemar(nonNegative(mc, "b"), nonNegative(mc, "c"), p);
        }
        return new MetricResult(
                m.text("name"),
                m.text("description"),
                m.bool("higherIsBetter"),
                m.optNumber("baseline"),
                m.optNumber("candidate"),
                m.optNumber("difference"),
                ciLow,
                ciHigh,
                m.optNumber("mde"),
                m.optNumber("standardError"),
                mcnemar);
    }

    private static Kl kl(JsonPath k) {
        if (k == null) {
            return null;
        }
        var bins = k.array("histogram").stream()
                .map(b -> {
                    JsonPath bin = b.requireObject();
                    double lo = bin.number("lo");
                    double hi = bin.number("hi");
                    if (!(lo <= hi)) {
                        throw new IllegalArgumentException(bin.at("hi") + ": bin upper edge " + hi + " below " + lo);
                    }
                    return new Bin(lo, hi, nonNegative(bin, "count"));
                })
                .toList();
        double top1 = k.number("top1Agreement");
        if (!(top1 >= 0 && top1 <= 1)) {
            throw new IllegalArgumentException(k.at("top1Agreement") + ": a share lies in [0, 1], got " + top1);
        }
        return new Kl(
                k.number("mean"),
                k.number("p95"),
                k.number("p99"),
                k.number("max"),
                top1,
                nonNegative(k, "tokens"),
                bins);
    }

    private static ItemDelta item(JsonPath element) {
        JsonPath i = element.requireObject();
        JsonNode id = i.node().get("itemId");
        String itemId = id != null && id.isNumber() ? id.asText() : i.text("itemId");
        return new ItemDelta(
                itemId, i.text("text"), i.optNumber("baseline"), i.optNumber("candidate"), i.optNumber("improvement"));
    }

    private static Training training(JsonPath t) {
        if (t == null) {
            return null;
        }
        var loss = t.optArray("loss").stream()
                .map(e -> {
                    JsonPath point = e.requireObject();
                    return new LossPoint(point.integer("step"), point.number("loss"));
                })
                .toList();
        JsonPath hyper = t.optObject("hyperparameters");
        return new Training(t.text("runId"), loss, hyper == null ? null : hyper.node());
    }

    private static Lineage lineage(JsonPath l) {
        if (l == null) {
            return null;
        }
        JsonPath counts = l.optObject("curateCounts");
        JsonPath inputs = l.optObject("inputs");
        Double share = l.optNumber("replayShare");
        if (share != null && !(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(l.at("replayShare") + ": a share lies in [0, 1], got " + share);
        }
        return new Lineage(
                l.optText("snapshotId"),
                counts == null ? null : counts.node(),
                share,
                inputs == null ? null : inputs.node());
    }

    private static Provenance provenance(JsonPath p) {
        return new Provenance(p.text("codeVersion"), p.node());
    }
}
