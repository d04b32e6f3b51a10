package dev.tanrenai.evaluate.suite;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.Splits;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The held-out and replay suites: conversations scored with the training mask
 * ({@link ConversationScoring}); NLL per assistant token and bits per byte, one item per conversation.
 */
public final class ConversationSuite implements Suite {

    /** Version of the way these suites score; part of their identity. */
    static final int VERSION = 1;

    /** Replay conversations sampled by default: enough for a CI of a few hundredths of a bit per byte. */
    public static final int DEFAULT_REPLAY_SAMPLE = 200;

    /** NLL per assistant token: what the held-out improvement check reads. */
    public static final Metric NLL_PER_TOKEN = ConversationScoring.NLL_PER_TOKEN;

    /** Bits per byte of the assistant turns: what the replay retention check reads. */
    public static final Metric BITS_PER_BYTE = ConversationScoring.BITS_PER_BYTE;

    private final SuiteInfo info;
    private final List<Conversation> conversations;

    private ConversationSuite(SuiteInfo info, List<Conversation> conversations) {
        this.info = info;
        this.conversations = List.copyOf(conversations);
    }

    /** The held-out split of a curated snapshot (rows whose {@code split} is {@code heldout}). */
    public static ConversationSuite heldout(DatasetSnapshot snapshot) throws IOException {
        List<Conversation> rows = new ArrayList<>();
        try (var it = snapshot.readRows()) {
            while (it.hasNext()) {
                ConversationRow row = it.next();
                if (Splits.isHeldout(row)) {
                    rows.add(row.conversation());
                }
            }
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("snapshot", snapshot.id());
        source.put("snapshotContentSha256", snapshot.manifest().contentSha256());
        source.put("split", Splits.HELDOUT);
        return heldout(rows, "held-out split of curated snapshot " + snapshot.id(), source);
    }

    /**
     * Held-out conversations from elsewhere (a file of conversations never trained on).
     *
     * @param where what they are, for the description, e.g. {@code held-out file chats.jsonl}
     * @throws IllegalArgumentException when there are none: an empty held-out set can show no improvement
     */
    public static ConversationSuite heldout(
            List<Conversation> conversations, String where, Map<String, Object> source) {
        List<Conversation> rows = new ArrayList<>(conversations);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(where + " holds no conversation: there is nothing new to evaluate on"
                    + " (curate more data, or give a held-out share > 0)");
        }
        rows.sort(Comparator.comparing(Conversation::id));
        Map<String, Object> src = new LinkedHashMap<>(source);
        src.put("conversations", rows.size());
        return new ConversationSuite(
                new SuiteInfo(
                        SuiteKind.HELDOUT.id(),
                        SuiteKind.HELDOUT,
                        VERSION,
                        ConversationScoring.contentSha256(rows, "heldout"),
                        where + " (" + rows.size() + " conversations never trained on)",
                        src),
                rows);
    }

    /**
     * A seeded sample of {@code sampleSize} conversations of the replay buffer (all of it when smaller):
     * what earlier nights taught, which the candidate must still fit.
     */
    public static ConversationSuite replay(List<Conversation> buffer, int sampleSize, long seed) {
        if (sampleSize < 1) {
            throw new IllegalArgumentException("the replay sample size must be >= 1, got " + sampleSize);
        }
        // the buffer may hold one conversation several times (offered by several runs): score it once
        Map<String, Conversation> unique = new java.util.TreeMap<>();
        for (Conversation c : buffer) {
            unique.putIfAbsent(c.id(), c);
        }
        List<Conversation> sorted = new ArrayList<>(unique.values());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = sorted.size() - 1; i > 0; i--) { // seeded Fisher–Yates over the id order
            int j = random.nextInt(i + 1);
            Conversation t = sorted.get(i);
            sorted.set(i, sorted.get(j));
            sorted.set(j, t);
        }
        List<Conversation> sample = new ArrayList<>(sorted.subList(0, Math.min(sampleSize, sorted.size())));
        sample.sort(Comparator.comparing(Conversation::id));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("replayBuffer", buffer.size());
        source.put("distinctConversations", unique.size());
        source.put("sample", sample.size());
        source.put("seed", seed);
        return new ConversationSuite(
                new SuiteInfo(
                        SuiteKind.REPLAY.id(),
                        SuiteKind.REPLAY,
                        VERSION,
                        ConversationScoring.contentSha256(sample, "replay"),
                        "seeded sample of " + sample.size() + " of the replay buffer's " + buffer.size()
                                + " conversations (earlier nights' data)",
                        source),
                sample);
    }

    public List<Conversation> conversations() {
        return conversations;
    }

    @Override
    public SuiteInfo info() {
        return info;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(ConversationScoring.NLL_PER_TOKEN, ConversationScoring.BITS_PER_BYTE);
    }

    @Override
    public SuiteRun score(ScoringSession session, ModelUnderTest model, SuiteRun reference) {
        ConversationScoring.Scored s = ConversationScoring.score(session, model, conversations, null);
        return new SuiteRun(info, model.cacheKey(), null, s.items(), List.of(), null, null, s.notes(), s.tokens());
    }
}
