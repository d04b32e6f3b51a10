package dev.tanrenai.evaluate.score;

import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LanguageModel} whose likelihoods come from the DJL decoder (forward-only, batched) and whose
 * generations come from llama.cpp with the same adapter: what users are served.
 *
 * <p>Tokenization follows lm-evaluation-harness: trailing white space of a context moves to the front
 * of its continuation; the continuation's tokens are those {@code tokenize(context + continuation)}
 * has beyond the length of {@code tokenize(context)}; every sequence starts with the model's BOS token
 * (or, for a model without one, its EOS token, as lm-eval's prefix token).
 */
final class DecoderLanguageModel implements LanguageModel {

    private final ScoringSession session;
    private final ModelUnderTest model;

    DecoderLanguageModel(ScoringSession session, ModelUnderTest model) {
        this.session = session;
        this.model = model;
    }

    @Override
    public List<Loglikelihood> loglikelihood(List<ContinuationRequest> requests) {
        LlamaRuntime tokenizer = session.tokenizer();
        int prefix = prefixToken();
        List<ScoringRequest> scoring = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            ContinuationRequest r = requests.get(i);
            String context = r.context();
            String continuation = r.continuation();
            int spaces = context.length() - context.stripTrailing().length();
            if (spaces > 0) {
                continuation = context.substring(context.length() - spaces) + continuation;
                context = context.substring(0, context.length() - spaces);
            }
            int[] whole = tokenizer.tokenize(context + continuation);
            int contextLength = context.isEmpty() ? 0 : tokenizer.tokenize(context).length;
            int[] tokens = new int[whole.length + 1];
            tokens[0] = prefix;
            System.arraycopy(whole, 0, tokens, 1, whole.length);
            boolean[] scored = new boolean[tokens.length];
            for (int j = 1 + Math.min(contextLength, whole.length); j < tokens.length; j++) {
                scored[j] = true;
            }
            scoring.add(new ScoringRequest("loglikelihood#" + i, tokens, scored));
        }
        List<SequenceScore> scores = score(scoring);
        List<Loglikelihood> out = new ArrayList<>();
        for (SequenceScore s : scores) {
            out.add(new Loglikelihood(s.logProbSum(), s.allGreedy(), s.count()));
        }
        return out;
    }

    @Override
    public List<RollingLoglikelihood> loglikelihoodRolling(List<String> texts) {
        LlamaRuntime tokenizer = session.tokenizer();
        int prefix = prefixToken();
        List<ScoringRequest> scoring = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] body = tokenizer.tokenize(texts.get(i));
            int[] tokens = new int[body.length + 1];
            tokens[0] = prefix;
            System.arraycopy(body, 0, tokens, 1, body.length);
            scoring.add(ScoringRequest.all("rolling#" + i, tokens));
        }
        List<RollingLoglikelihood> out = new ArrayList<>();
        for (SequenceScore s : score(scoring)) {
            out.add(new RollingLoglikelihood(s.logProbSum(), s.count()));
        }
        return out;
    }

    @Override
    public List<String> generateUntil(List<GenerationTask> tasks) {
        LlamaRuntime runtime = session.runtime(model);
        List<String> out = new ArrayList<>();
        for (GenerationTask t : tasks) {
            Completion c = runtime.complete(GenerationRequest.greedy(t.prompt(), t.maxTokens())
                    .withStop(t.until().stream().filter(s -> !s.isEmpty()).toList()));
            out.add(cutAtStop(c.text(), t.until()));
        }
        return out;
    }

    private List<SequenceScore> score(List<ScoringRequest> requests) {
        return session.scorer(model).score(requests, false, null, session.manager(), TokenScorer.Progress.none());
    }

    private int prefixToken() {
        int token = session.bos() >= 0 ? session.bos() : session.eos();
        if (token < 0) {
            throw new IllegalStateException("model " + model.id() + " declares neither a BOS nor an EOS token, so the"
                    + " first token of a text has no context to be scored from");
        }
        return token;
    }

    /** The text before the first stop string (llama.cpp already stops there; this also covers a split stop). */
    static String cutAtStop(String text, List<String> until) {
        int cut = text.length();
        for (String s : until) {
            int at = s.isEmpty() ? -1 : text.indexOf(s);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return text.substring(0, cut);
    }

    @Override
    public String toString() {
        return "DecoderLanguageModel[" + model.id() + ", " + model.cacheKey() + "]";
    }
}
