package dev.tanrenai.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The state of the latest experiment as JSON: {@code GET /admin/ab} and {@code pipeline ab status --json}. */
public final class StatusJson {
    private StatusJson() {}

    /**
     * {@code {"experiment": {...} | null, "current": verdict | null, "decisions": n, "lastDecision": {...} | null}};
     * {@code current} is a fresh evaluation (not recorded) while the experiment runs.
     */
    public static ObjectNode status(Experiments experiments, Instant now) {
        ObjectNode out = VerdictJson.JSON.createObjectNode();
        Optional<Experiment> latest = experiments.store().latest();
        if (latest.isEmpty()) {
            out.putNull("experiment");
            out.putNull("current");
            out.put("decisions", 0);
            out.putNull("lastDecision");
            return out;
        }
        Experiment e = latest.get();
        out.set("experiment", experiment(e));
        if (e.running()) {
            out.set("current", VerdictJson.verdict(experiments.evaluate(e, now)));
        } else {
            out.putNull("current");
        }
        List<DecisionRecord> decisions = experiments.store().decisions(e.id());
        out.put("decisions", decisions.size());
        if (decisions.isEmpty()) {
            out.putNull("lastDecision");
        } else {
            out.set("lastDecision", decision(decisions.get(decisions.size() - 1)));
        }
        return out;
    }

    public static ObjectNode experiment(Experiment e) {
        ObjectNode out = VerdictJson.JSON.createObjectNode();
        out.put("id", e.id());
        out.put("status", e.status().wireName());
        out.put("champion", e.championId());
        out.put("challenger", e.challengerId());
        out.put("share", e.share());
        out.put("startedAt", e.startedAt().toString());
        out.put("startedBy", e.startedBy());
        out.put("endedAt", e.endedAt() == null ? null : e.endedAt().toString());
        out.put("reason", e.reason());
        out.set("config", VerdictJson.parse(VerdictJson.config(e.config()), e.id()));
        return out;
    }

    public static ObjectNode decision(DecisionRecord d) {
        ObjectNode out = VerdictJson.JSON.createObjectNode();
        out.put("number", d.number());
        out.put("at", d.at().toString());
        out.put("decision", d.decision().wireName());
        out.put("reason", d.reason());
        out.put("decidedBy", d.decidedBy());
        out.set("numbers", d.numbers());
        return out;
    }
}
