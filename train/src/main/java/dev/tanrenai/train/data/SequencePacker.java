package dev.tanrenai.train.data;

import dev.tanrenai.decoder.render.TrainingExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Truncates examples to the maximum length and packs them, in a seeded shuffled order, into
 * sequences of at most that length. An example longer than the limit keeps its first tokens; when
 * none of those is trained the example is dropped — both counted in the result, never silent.
 */
public final class SequencePacker {

    /** One example to pack, and whether it comes from the replay buffer. */
    public record Item(TrainingExample example, boolean replay) {}

    /**
     * The packed sequences and what packing did.
     *
     * @param truncated examples cut to the maximum length
     * @param dropped ids of examples with no trained token left after truncation
     */
    public record Result(
            List<PackedSequence> sequences,
            int examples,
            int truncated,
            List<String> dropped,
            long tokens,
            long trainedTokens,
            long trainedReplayTokens) {
        public Result {
            sequences = List.copyOf(sequences);
            dropped = List.copyOf(dropped);
        }
    }

    private SequencePacker() {}

    /**
     * @param maxLength the longest sequence, in tokens (>= 2)
     * @param seed the shuffle's seed: the same items and seed give the same sequences
     */
    public static Result pack(List<Item> items, int maxLength, long seed) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length must be >= 2 tokens, got " + maxLength);
        }
        List<Item> order = new ArrayList<>(items);
        Collections.shuffle(order, new Random(seed));
        List<PackedSequence> sequences = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        int truncated = 0;
        Builder current = new Builder(maxLength);
        for (Item item : order) {
            int[] tokens = item.example().tokens();
            boolean[] mask = item.example().lossMask();
            if (tokens.length > maxLength) {
                truncated++;
                tokens = java.util.Arrays.copyOf(tokens, maxLength);
                mask = java.util.Arrays.copyOf(mask, maxLength);
            }
            if (!anyTrained(mask)) {
                dropped.add(item.example().conversationId());
                continue;
            }
            if (!current.fits(tokens.length)) {
                sequences.add(current.build());
                current = new Builder(maxLength);
            }
            current.add(item.example().conversationId(), tokens, mask, item.replay());
        }
        if (!current.isEmpty()) {
            sequences.add(current.build());
        }
        long tokens = 0;
        long trained = 0;
        long replayTrained = 0;
        for (PackedSequence s : sequences) {
            tokens += s.length();
            trained += s.trainedTokens();
            replayTrained += s.trainedReplayTokens();
        }
        return new Result(sequences, items.size(), truncated, dropped, tokens, trained, replayTrained);
    }

    private static boolean anyTrained(boolean[] mask) {
        for (int i = 1; i < mask.length; i++) {
            if (mask[i]) {
                return true;
            }
        }
        return false;
    }

    private static final class Builder {
        private final int maxLength;
        private final List<String> ids = new ArrayList<>();
        private final List<int[]> tokens = new ArrayList<>();
        private final List<boolean[]> masks = new ArrayList<>();
        private final List<Boolean> replay = new ArrayList<>();
        private int length;

        Builder(int maxLength) {
            this.maxLength = maxLength;
        }

        boolean fits(int n) {
            return length + n <= maxLength;
        }

        boolean isEmpty() {
            return ids.isEmpty();
        }

        void add(String id, int[] t, boolean[] m, boolean isReplay) {
            ids.add(id);
            tokens.add(t);
            masks.add(m);
            replay.add(isReplay);
            length += t.length;
        }

        PackedSequence build() {
            int[] t = new int[length];
            boolean[] m = new boolean[length];
            boolean[] r = new boolean[length];
            int[] s = new int[length];
            int at = 0;
            for (int segment = 0; segment < ids.size(); segment++) {
                int n = tokens.get(segment).length;
                System.arraycopy(tokens.get(segment), 0, t, at, n);
                System.arraycopy(masks.get(segment), 0, m, at, n);
                m[at] = false; // the first token of a segment is never a prediction target
                java.util.Arrays.fill(r, at, at + n, replay.get(segment));
                java.util.Arrays.fill(s, at, at + n, segment);
                at += n;
            }
            return new PackedSequence(t, m, r, s, ids);
        }
    }
}
