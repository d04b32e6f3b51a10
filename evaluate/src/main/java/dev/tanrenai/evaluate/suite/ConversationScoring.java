package dev.tanrenai.evaluate.suite;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.decoder.render.ConversationRenderer;
import dev.tanrenai.decoder.render.TrainingExample;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringRequest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.SequenceScore;
import dev.tanrenai.evaluate.score.TokenScorer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Conversations scored the way they are trained: rendered by the model's own chat template, with the
 * loss on the assistant turns only (each with its end-of-turn marker), so a held-out NLL is the
 * training loss on data the adapter never saw. One item per conversation, clustered by conversation.
 */
final class ConversationScoring {
    private ConversationScoring() {}

    /** Per-item values: Σ NLL (nats), scored tokens, UTF-8 bytes of the scored text. */
    static final String NLL = "nll";

    static final String TOKENS = "tokens";
    static final String BYTES = "bytes";

    static final Metric NLL_PER_TOKEN = Metric.ratio(
            "nll_per_token",
            "mean negative log-likelihood (nats) per assistant token, over all scored tokens of all"
                    + " conversations (Σ NLL / Σ tokens), with the training's assistant-only mask",
            NLL,
            TOKENS,
            1,
            false);
    static final Metric BITS_PER_BYTE = Metric.ratio(
            "bits_per_byte",
            "Σ NLL / (ln 2 · Σ UTF-8 bytes of the assistant turns as the template renders them): comparable"
                    + " across tokenizers",
            NLL,
            BYTES,
            1 / Math.log(2),
            false);

    /** What scoring a list of conversations gave. */
    record Scored(List<ItemScore> items, Map<String, Object> notes, long tokens) {}

    /**
     * Scores every conversation with an assistant turn; the others, and those the template cannot
     * render, are listed in the notes with their reasons.
     *
     * @param extra per-conversation values added to each item (e.g. a feedback rating), or null
     */
    static Scored score(
            ScoringSession session,
            ModelUnderTest model,
            List<Conversation> conversations,
            java.util.function.Function<Conversation, Map<String, Double>> extra) {
        ConversationRenderer renderer = session.renderer();
        List<ScoringRequest> requests = new ArrayList<>();
        List<Conversation> scored = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        for (Conversation c : conversations) {
            if (c.messages().stream().noneMatch(ConversationScoring::isAnswer)) {
                skipped.put(c.id(), "no assistant turn");
                continue;
            }
            TrainingExample example;
            long answerBytes = 0;
            try {
                example = renderer.render(c);
                for (ConversationRenderer.Segment s : renderer.segments(c)) {
                    answerBytes += s.trained() ? s.text().getBytes(StandardCharsets.UTF_8).length : 0;
                }
            } catch (IllegalArgumentException e) {
                skipped.put(c.id(), e.getMessage());
                continue;
            }
            boolean[] mask = example.lossMask();
            mask[0] = false; // the first token has no context
            requests.add(new ScoringRequest(c.id(), example.tokens(), mask));
            scored.add(c);
            bytes.add(answerBytes);
        }
        List<SequenceScore> scores =
                session.scorer(model).score(requests, false, null, session.manager(), TokenScorer.Progress.none());
        List<ItemScore> items = new ArrayList<>();
        long tokens = 0;
        for (int i = 0; i < scored.size(); i++) {
            Conversation c = scored.get(i);
            SequenceScore s = scores.get(i);
            if (s.count() == 0) {
                skipped.put(c.id(), "no assistant token after rendering");
                continue;
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put(NLL, -s.logProbSum());
            values.put(TOKENS, (double) s.count());
            values.put(BYTES, (double) Math.max(1, bytes.get(i)));
            if (extra != null) {
                values.putAll(extra.apply(c));
            }
            items.add(new ItemScore(c.id(), c.id(), values, preview(c)));
            tokens += requests.get(i).length();
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("conversations", conversations.size());
        notes.put("scored", items.size());
        notes.put("skipped", skipped);
        return new Scored(items, notes, tokens);
    }

    /** SHA-256 over the conversations' OpenAI JSON in the given order. */
    static String contentSha256(List<Conversation> conversations, String settings) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(settings.getBytes(StandardCharsets.UTF_8));
        for (Conversation c : conversations) {
            digest.update((OpenAiChatCodec.write(c).toString() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    /** The first user message, for reports. */
    static String preview(Conversation c) {
        for (Message m : c.messages()) {
            if (m.role() == Role.USER) {
                return abbreviate(m.content(), 160);
            }
        }
        return "";
    }

    static String abbreviate(String s, int max) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    private static boolean isAnswer(Message m) {
        return m.role() == Role.ASSISTANT
                && (!m.content().isEmpty() || !m.toolCalls().isEmpty());
    }
}
