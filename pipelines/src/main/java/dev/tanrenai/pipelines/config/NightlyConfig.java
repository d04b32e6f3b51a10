package dev.tanrenai.pipelines.config;

import java.util.Locale;

/**
 * The nightly loop's settings ({@code nightly.*} in the YAML configuration).
 *
 * @param minConversations fewer new curated training conversations than this: the run is skipped
 * @param base base model to train when there is no champion (registry reference); empty = the champion's base
 * @param continueChampion continue the champion's adapter (true) or train a fresh one from the base
 * @param promotion {@code direct} (the champion alias moves) or {@code ab} (the challenger alias and a traffic split)
 * @param abShare the share of traffic the challenger gets in {@code ab} mode
 * @param policy the gate's policy YAML; empty = {@code <home>/policy.yaml} when it exists, else the defaults
 * @param maxRefusals a batch refused this many times is set aside and never trained again by the loop
 * @param steps optimizer steps
 * @param learningRate peak learning rate
 * @param rank LoRA rank
 * @param maxLength tokens per packed sequence
 * @param seed training seed
 * @param heldout share of each night's curated conversations held out for the gate
 * @param dedupeThreshold curate's near-duplicate Jaccard similarity
 * @param generalDocuments general documents the evaluation scores
 * @param stageTimeoutMinutes a stage running longer fails
 * @param retries how many times a failed stage is retried
 * @param retryDelaySeconds delay between retries
 * @param webhook URL to POST a JSON {@code {"text": ...}} notification to on promotion, refusal and failure; empty = none
 */
public record NightlyConfig(
        int minConversations,
        String base,
        boolean continueChampion,
        String promotion,
        double abShare,
        String policy,
        int maxRefusals,
        int steps,
        float learningRate,
        int rank,
        int maxLength,
        long seed,
        double heldout,
        double dedupeThreshold,
        int generalDocuments,
        int stageTimeoutMinutes,
        int retries,
        int retryDelaySeconds,
        String webhook) {

    public static final String DIRECT = "direct";
    public static final String AB = "ab";

    public NightlyConfig {
        promotion = promotion.trim().toLowerCase(Locale.ROOT);
        if (!promotion.equals(DIRECT) && !promotion.equals(AB)) {
            throw new ConfigException("nightly.promotion: must be direct or ab, got '" + promotion + "'");
        }
        require("nightly.minConversations", minConversations >= 1, minConversations);
        require("nightly.abShare", abShare > 0 && abShare < 1, abShare);
        require("nightly.maxRefusals", maxRefusals >= 1, maxRefusals);
        require("nightly.train.steps", steps >= 1, steps);
        require("nightly.train.learningRate", learningRate > 0 && Float.isFinite(learningRate), learningRate);
        require("nightly.train.rank", rank >= 1, rank);
        require("nightly.train.maxLength", maxLength >= 8, maxLength);
        require("nightly.curate.heldout", heldout > 0 && heldout < 1, heldout);
        require("nightly.curate.dedupeThreshold", dedupeThreshold > 0 && dedupeThreshold <= 1, dedupeThreshold);
        require("nightly.generalDocuments", generalDocuments >= 1, generalDocuments);
        require("nightly.stageTimeoutMinutes", stageTimeoutMinutes >= 1, stageTimeoutMinutes);
        require("nightly.retries", retries >= 0 && retries <= 10, retries);
        require("nightly.retryDelaySeconds", retryDelaySeconds >= 0, retryDelaySeconds);
        if (!webhook.isBlank() && !webhook.startsWith("http://") && !webhook.startsWith("https://")) {
            throw new ConfigException("nightly.webhook: must be an http(s) URL, got '" + webhook + "'");
        }
    }

    private static void require(String key, boolean ok, Object value) {
        if (!ok) {
            throw new ConfigException(key + ": out of range, got " + value);
        }
    }
}
