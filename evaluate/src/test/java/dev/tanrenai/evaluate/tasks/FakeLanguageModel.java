package dev.tanrenai.evaluate.tasks;

import dev.tanrenai.evaluate.score.LanguageModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A language model answering hand-picked values; any request it was not given is a test failure. */
final class FakeLanguageModel implements LanguageModel {

    final Map<String, Loglikelihood> continuations = new HashMap<>();
    final Map<String, Double> texts = new HashMap<>();
    final Map<String, String> generations = new HashMap<>();
    final List<String> contexts = new ArrayList<>();
    final List<GenerationTask> generationTasks = new ArrayList<>();

    FakeLanguageModel answer(String context, String continuation, double ll, boolean greedy) {
        continuations.put(context + "\u0000" + continuation, new Loglikelihood(ll, greedy, 1));
        return this;
    }

    @Override
    public List<Loglikelihood> loglikelihood(List<ContinuationRequest> requests) {
        List<Loglikelihood> out = new ArrayList<>();
        for (ContinuationRequest r : requests) {
            contexts.add(r.context());
            Loglikelihood l = continuations.get(r.context() + "\u0000" + r.continuation());
            if (l == null) {
                throw new AssertionError(
                        "unexpected request: context '" + r.context() + "', continuation '" + r.continuation() + "'");
            }
            out.add(l);
        }
        return out;
    }

    @Override
    public List<RollingLoglikelihood> loglikelihoodRolling(List<String> requests) {
        List<RollingLoglikelihood> out = new ArrayList<>();
        for (String t : requests) {
            Double ll = texts.get(t);
            if (ll == null) {
                throw new AssertionError("unexpected rolling text '" + t + "'");
            }
            out.add(new RollingLoglikelihood(ll, 1));
        }
        return out;
    }

    @Override
    public List<String> generateUntil(List<GenerationTask> tasks) {
        List<String> out = new ArrayList<>();
        for (GenerationTask t : tasks) {
            generationTasks.add(t);
            String g = generations.get(t.prompt());
            if (g == null) {
                throw new AssertionError("unexpected prompt '" + t.prompt() + "'");
            }
            out.add(g);
        }
        return out;
    }
}
