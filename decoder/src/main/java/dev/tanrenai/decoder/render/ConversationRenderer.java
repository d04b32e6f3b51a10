package dev.tanrenai.decoder.render;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.models.gguf.GgufMetadata;
import dev.tanrenai.models.runtime.LlamaRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders conversations for training exactly as they are served: through the model's own chat
 * template and tokenizer in llama.cpp, so the training format is the serving format. The loss
 * counts the assistant turns only — each turn's text as the template renders it after the
 * generation prompt, end-of-turn marker included, so the model also learns where to stop.
 */
public final class ConversationRenderer {

    private final LlamaRuntime runtime;
    private final int bos;

    /** @param bos the model's BOS token id, put first as llama.cpp does; -1 when the model adds none */
    public ConversationRenderer(LlamaRuntime runtime, int bos) {
        this.runtime = runtime;
        this.bos = bos;
    }

    /**
     * The BOS token llama.cpp puts before a prompt of this model, or -1: {@code tokenizer.ggml.add_bos_token}
     * when present, else llama.cpp's default (SentencePiece "llama" vocabularies add one, BPE ones do not).
     */
    public static int bosOf(GgufMetadata md) {
        boolean add = md.find("tokenizer.ggml.add_bos_token")
                .map(v -> md.getBool("tokenizer.ggml.add_bos_token"))
                .orElse("llama".equals(md.optionalString("tokenizer.ggml.model").orElse("")));
        return add ? md.getInt("tokenizer.ggml.bos_token_id") : -1;
    }

    /** The text pieces of {@code c}, alternating context and assistant turns, that concatenate to its rendering. */
    public List<Segment> segments(Conversation c) {
        List<Message> messages = c.messages();
        List<Segment> segments = new ArrayList<>();
        String done = "";
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() != Role.ASSISTANT) {
                continue;
            }
            String prompt = render(messages.subList(0, i), true, c, i);
            String withTurn = render(messages.subList(0, i + 1), false, c, i);
            requirePrefix(done, prompt, c, i);
            requirePrefix(prompt, withTurn, c, i);
            segments.add(new Segment(prompt.substring(done.length()), false));
            segments.add(new Segment(withTurn.substring(prompt.length()), true));
            done = withTurn;
        }
        String full = render(messages, false, c, messages.size());
        requirePrefix(done, full, c, messages.size());
        if (full.length() > done.length()) {
            segments.add(new Segment(full.substring(done.length()), false));
        }
        return segments;
    }

    /**
     * Tokens (BOS first when the model uses one) and the assistant-only loss mask of {@code c}.
     *
     * <p>The whole rendering is tokenized as llama.cpp tokenizes a prompt, never segment by segment:
     * a SentencePiece tokenizer would put its word-start marker before every piece tokenized on its
     * own, and the model would learn to answer " The" where serving expects "The". Each segment's
     * tokens are those the text up to its end adds; where a tokenizer merges across a boundary,
     * the merged token belongs to the later segment.
     */
    public TrainingExample render(Conversation c) {
        List<Integer> tokens = new ArrayList<>();
        List<Boolean> mask = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Segment s : segments(c)) {
            if (s.text().isEmpty()) {
                continue;
            }
            text.append(s.text());
            int[] upToHere = runtime.tokenize(text.toString());
            int common = 0;
            while (common < tokens.size() && common < upToHere.length && tokens.get(common) == upToHere[common]) {
                common++;
            }
            tokens.subList(common, tokens.size()).clear();
            mask.subList(common, mask.size()).clear();
            for (int i = common; i < upToHere.length; i++) {
                tokens.add(upToHere[i]);
                mask.add(s.trained());
            }
        }
        int offset = bos >= 0 ? 1 : 0;
        int[] ids = new int[tokens.size() + offset];
        boolean[] m = new boolean[ids.length];
        if (bos >= 0) {
            ids[0] = bos;
        }
        for (int i = 0; i < tokens.size(); i++) {
            ids[i + offset] = tokens.get(i);
            m[i + offset] = mask.get(i);
        }
        return new TrainingExample(c.id(), ids, m);
    }

    private String render(List<Message> messages, boolean generationPrompt, Conversation c, int at) {
        if (messages.isEmpty()) {
            return "";
        }
        try {
            return runtime.applyChatTemplate(messages, generationPrompt);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "conversation " + c.id() + ": the chat template failed at message " + at + ": " + e.getMessage(),
                    e);
        }
    }

    private static void requirePrefix(String prefix, String text, Conversation c, int at) {
        if (!text.startsWith(prefix)) {
            throw new IllegalArgumentException("conversation " + c.id() + ": the chat template does not render"
                    + " message " + at + " as an extension of the messages before it, so the assistant turns cannot"
                    + " be located for the loss mask");
        }
    }

    /** A piece of rendered text and whether the loss counts it. */
    public record Segment(String text, boolean trained) {}
}
