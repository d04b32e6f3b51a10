package dev.tanrenai.evaluate.suite;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringRequest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.SequenceScore;
import dev.tanrenai.evaluate.score.TokenScorer;
import dev.tanrenai.models.runtime.LlamaRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference text of the base model's own domain (for stories260K, TinyStories validation stories):
 * bits per byte of each model, and per token KL(baseline ‖ candidate) with its mean, p95, p99 and
 * top-1 agreement — what llama.cpp's {@code llama-perplexity --kl-divergence} reports. Each document is
 * {@code BOS + its tokens}, every token after BOS scored, in the windows of
 * {@link dev.tanrenai.evaluate.score.ScoringSettings}; one item per document.
 */
public final class GeneralSuite implements Suite {

    static final int VERSION = 1;

    static final String KL_SUM = "kl_sum";
    static final String KL_TOKENS = "kl_tokens";
    static final String TOP1 = "top1";

    public static final Metric BITS_PER_BYTE = Metric.ratio(
            "bits_per_byte",
            "Σ NLL / (ln 2 · Σ UTF-8 bytes) over every document (each token after BOS scored): comparable"
                    + " across tokenizers",
            ConversationScoring.NLL,
            ConversationScoring.BYTES,
            1 / Math.log(2),
            false);
    public static final Metric NLL_PER_TOKEN = Metric.ratio(
            "nll_per_token",
            "Σ NLL / Σ scored tokens (nats per token; exp of it is the perplexity)",
            ConversationScoring.NLL,
            ConversationScoring.TOKENS,
            1,
            false);
    public static final Metric KL_MEAN = Metric.ratio(
            "kl_mean",
            "mean over every scored token of KL(baseline ‖ candidate) of the next-token distributions (nats),"
                    + " over the baseline's top-K tokens plus one bucket for the rest (a lower bound on the"
                    + " full KL)",
            KL_SUM,
            KL_TOKENS,
            1,
            false);
    public static final Metric TOP1_AGREEMENT = Metric.ratio(
            "top1_agreement",
            "share of scored tokens where the candidate's most likely next token is the baseline's",
            TOP1,
            KL_TOKENS,
            1,
            true);

    private final SuiteInfo info;
    private final List<GeneralText.Document> documents;

    private GeneralSuite(SuiteInfo info, List<GeneralText.Document> documents) {
        this.info = info;
        this.documents = List.copyOf(documents);
    }

    /** The documents of {@code texts}, at most {@code maxDocuments} (the first ones, in file order). */
    public static GeneralSuite of(List<GeneralText> texts, int maxDocuments) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("the general suite needs at least one text file");
        }
        if (maxDocuments < 1) {
            throw new IllegalArgumentException("maxDocuments must be >= 1, got " + maxDocuments);
        }
        List<GeneralText.Document> docs = new ArrayList<>();
        List<Map<String, Object>> files = new ArrayList<>();
        StringBuilder hashInput = new StringBuilder("general;max=" + maxDocuments + ";");
        for (GeneralText t : texts) {
            int taken = 0;
            for (GeneralText.Document d : t.documents()) {
                if (docs.size() >= maxDocuments) {
                    break;
                }
                docs.add(d);
                taken++;
            }
            files.add(Map.of(
                    "name",
                    t.name(),
                    "sha256",
                    t.sha256(),
                    "documents",
                    t.documents().size(),
                    "used",
                    taken));
            hashInput.append(t.name()).append('=').append(t.sha256()).append(';');
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("the general text files hold no document: "
                    + texts.stream().map(GeneralText::name).toList());
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("files", files);
        source.put("documents", docs.size());
        return new GeneralSuite(
                new SuiteInfo(
                        SuiteKind.GENERAL.id(),
                        SuiteKind.GENERAL,
                        VERSION,
                        dev.tanrenai.datasets.provenance.Sha256.ofBytes(
                                hashInput.toString().getBytes(StandardCharsets.UTF_8)),
                        docs.size() + " documents of reference text ("
                                + String.join(
                                        ", ",
                                        texts.stream().map(GeneralText::name).toList()) + ")",
                        source),
                docs);
    }

    @Override
    public SuiteInfo info() {
        return info;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(BITS_PER_BYTE, NLL_PER_TOKEN);
    }

    @Override
    public List<Metric> pairwiseMetrics() {
        return List.of(KL_MEAN, TOP1_AGREEMENT);
    }

    @Override
    public boolean keepsReference() {
        return true;
    }

    @Override
    public SuiteRun score(ScoringSession session, ModelUnderTest model, SuiteRun reference) throws IOException {
        LlamaRuntime tokenizer = session.tokenizer();
        int prefix = session.bos() >= 0 ? session.bos() : session.eos();
        List<ScoringRequest> requests = new ArrayList<>();
        for (GeneralText.Document d : documents) {
            int[] body = tokenizer.tokenize(d.text());
            int[] tokens = new int[body.length + 1];
            tokens[0] = prefix;
            System.arraycopy(body, 0, tokens, 1, body.length);
            requests.add(ScoringRequest.all(d.id(), tokens));
        }
        if (reference != null
                && (reference.reference() == null || reference.reference().size() != requests.size())) {
            throw new IllegalArgumentException("the baseline's general run kept no reference for " + requests.size()
                    + " documents; score the baseline first");
        }
        List<SequenceScore> scores = session.scorer(model)
                .score(
                        requests,
                        reference == null,
                        reference == null ? null : reference.reference(),
                        session.manager(),
                        TokenScorer.Progress.none());
        List<ItemScore> items = new ArrayList<>();
        List<ItemScore> pairwise = new ArrayList<>();
        int klCount = 0;
        for (SequenceScore s : scores) {
            klCount += reference == null ? 0 : s.count();
        }
        float[] perTokenKl = reference == null ? null : new float[klCount];
        int at = 0;
        long tokens = 0;
        for (int i = 0; i < documents.size(); i++) {
            GeneralText.Document d = documents.get(i);
            SequenceScore s = scores.get(i);
            tokens += requests.get(i).length();
            if (s.count() == 0) {
                continue; // an empty document: nothing to score (the notes count it)
            }
            Map<String, Double> v = new LinkedHashMap<>();
            v.put(ConversationScoring.NLL, -s.logProbSum());
            v.put(ConversationScoring.TOKENS, (double) s.count());
            v.put(ConversationScoring.BYTES, (double) d.text().getBytes(StandardCharsets.UTF_8).length);
            items.add(new ItemScore(d.id(), d.id(), v, ConversationScoring.abbreviate(d.text(), 160)));
            if (reference != null) {
                pairwise.add(new ItemScore(
                        d.id(),
                        d.id(),
                        Map.of(KL_SUM, s.klSum(), KL_TOKENS, (double) s.count(), TOP1, (double) s.top1Agreements()),
                        ConversationScoring.abbreviate(d.text(), 160)));
                System.arraycopy(s.kl(), 0, perTokenKl, at, s.count());
                at += s.count();
            }
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("documents", documents.size());
        notes.put("scored", items.size());
        notes.put("window", session.settings().window());
        notes.put("klTopK", Math.min(session.settings().klTopK(), session.vocabularySize()));
        return new SuiteRun(
                info,
                model.cacheKey(),
                reference == null ? null : reference.modelKey(),
                items,
                pairwise,
                perTokenKl,
                reference == null ? scores : null,
                notes,
                tokens);
    }
}
