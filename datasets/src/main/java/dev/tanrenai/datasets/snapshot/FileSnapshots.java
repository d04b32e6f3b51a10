package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.ConversationImporter;
import dev.tanrenai.datasets.format.ImportListener;
import dev.tanrenai.datasets.format.ImportOptions;
import dev.tanrenai.datasets.format.ImportReport;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.store.AppendResult;
import dev.tanrenai.datasets.store.ConversationConflictException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a dataset snapshot straight from a conversation file (OpenAI or ShareGPT JSONL), without
 * the store: every record is read and validated by the importer, bad ones go to the rejects file,
 * and the good ones become the snapshot. Records without a time get the epoch, so the same file
 * always gives the same snapshot id; the provenance records the file's SHA-256.
 */
public final class FileSnapshots {

    /** The snapshot and what reading the file did. */
    public record Result(DatasetSnapshot snapshot, ImportReport report) {}

    private FileSnapshots() {}

    /**
     * @param rejectsFile where records that fail validation go (line, field, reason, raw text)
     * @throws IOException when the file cannot be read or holds no valid conversation
     */
    public static Result fromFile(
            Path file, ChatFormat format, Path datasetsDir, String dataset, Path rejectsFile, ImportListener listener)
            throws IOException {
        Map<String, Conversation> byId = new LinkedHashMap<>();
        ImportOptions options = ImportOptions.defaults(
                "import:" + format.name().toLowerCase(java.util.Locale.ROOT) + ":" + file.getFileName(), Instant.EPOCH);
        ImportReport report = new ConversationImporter()
                .importFile(file, format, batch -> collect(byId, batch), rejectsFile, options, listener);
        if (byId.isEmpty()) {
            throw new IOException(file + " holds no valid conversation (" + report.rejected() + " rejected, see "
                    + rejectsFile + ")");
        }
        Map<String, Object> config = new TreeMap<>();
        config.put("format", format.name());
        config.put("rejected", report.rejected());
        SnapshotInput input = new SnapshotInput(
                "file", file.toAbsolutePath().toString(), null, Sha256.ofFile(file), (long) byId.size());
        DatasetSnapshot snapshot = new SnapshotWriter()
                .write(
                        datasetsDir,
                        dataset,
                        byId.values().iterator(),
                        SnapshotProvenance.of(List.of(input), config, null),
                        Map.of("rejected", report.rejected()));
        return new Result(snapshot, report);
    }

    private static List<AppendResult> collect(Map<String, Conversation> byId, List<Conversation> batch) {
        Map<String, Conversation> seen = new LinkedHashMap<>(byId);
        for (Conversation c : batch) { // check the whole batch first: a conflicting batch adds nothing
            Conversation known = seen.putIfAbsent(c.id(), c);
            if (known != null && !known.messages().equals(c.messages())) {
                throw new ConversationConflictException(
                        c.id(), "conversation " + c.id() + " appears twice in the file with different messages");
            }
        }
        List<AppendResult> results = new ArrayList<>();
        for (Conversation c : batch) {
            boolean known = byId.putIfAbsent(c.id(), c) != null;
            results.add(new AppendResult(
                    c.id(),
                    known ? AppendResult.Outcome.UNCHANGED : AppendResult.Outcome.CREATED,
                    known ? 0 : c.messages().size(),
                    0));
        }
        return results;
    }
}
