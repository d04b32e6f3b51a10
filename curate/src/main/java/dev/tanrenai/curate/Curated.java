package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.Splits;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The curate stage's element: a conversation and what the stages add to it, typed — the exact
 * copies and near-duplicate cluster it stands for, its quality score and top features, its split.
 * Coded by {@link CuratedCoder} (compact binary; no JSON between stages).
 *
 * @param exactCopies conversations with the same text it stands for (itself included), at least 1
 * @param clusterSize near and exact duplicates it stands for (itself included), at least 1
 * @param score the quality score in [0, 1], or NaN before {@link Score}
 * @param features the top features as a JSON object text, or empty before {@link Score}
 * @param split {@code train}/{@code heldout}, or empty before {@link Split}
 */
@DefaultCoder(CuratedCoder.class)
public record Curated(
        Conversation conversation, int exactCopies, long clusterSize, double score, String features, String split)
        implements Serializable {

    public Curated {
        Objects.requireNonNull(conversation, "conversation");
        if (exactCopies < 1 || clusterSize < 1) {
            throw new IllegalArgumentException("conversation " + conversation.id()
                    + ": exact copies and cluster size must be >= 1, got " + exactCopies + ", " + clusterSize);
        }
        features = features == null ? "" : features;
        split = split == null ? "" : split;
    }

    /** A conversation before any stage. */
    public static Curated of(Conversation c) {
        return new Curated(c, 1, 1, Double.NaN, "", "");
    }

    public String id() {
        return conversation.id();
    }

    public Curated with(Conversation c) {
        return new Curated(c, exactCopies, clusterSize, score, features, split);
    }

    public Curated withCopies(int exact, long cluster) {
        return new Curated(conversation, exact, cluster, score, features, split);
    }

    public Curated withScore(double value, String topFeatures) {
        return new Curated(conversation, exactCopies, clusterSize, value, topFeatures, split);
    }

    public Curated withSplit(String s) {
        return new Curated(conversation, exactCopies, clusterSize, score, features, s);
    }

    /** The snapshot row: the conversation and the curated columns ({@link CurateJob#COLUMNS}). */
    public ConversationRow row() {
        if (split.isEmpty() || Double.isNaN(score)) {
            throw new IllegalStateException("conversation " + id() + " reached the snapshot without a "
                    + (split.isEmpty() ? "split" : "score"));
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put(Splits.COLUMN, split);
        extras.put("quality_score", score);
        extras.put("quality_features", features);
        extras.put("cluster_size", clusterSize);
        return new ConversationRow(conversation, extras);
    }
}
