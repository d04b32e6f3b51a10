package dev.tanrenai.datasets.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the conversation store holds.
 *
 * @param conversations number of conversations
 * @param messages number of messages
 * @param messagesByRole messages per role wire name
 * @param feedback number of feedback entries
 * @param conversationsBySource conversations per source
 * @param lastSequence the highest sequence number written (the watermark that reads everything)
 * @param schemaVersion the conversations schema version
 * @param databaseBytes size of the SQLite file (with its WAL), or -1 for other databases
 */
public record StoreStats(
        long conversations,
        long messages,
        Map<String, Long> messagesByRole,
        long feedback,
        Map<String, Long> conversationsBySource,
        long lastSequence,
        int schemaVersion,
        long databaseBytes) {
    public StoreStats {
        messagesByRole = java.util.Collections.unmodifiableMap(new TreeMap<>(messagesByRole));
        conversationsBySource = java.util.Collections.unmodifiableMap(new TreeMap<>(conversationsBySource));
    }
}
