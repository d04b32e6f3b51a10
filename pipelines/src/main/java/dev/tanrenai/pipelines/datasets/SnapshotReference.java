package dev.tanrenai.pipelines.datasets;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a snapshot named on the command line: a snapshot directory, {@code DATASET/ID}, or {@code DATASET} (its latest). */
public final class SnapshotReference {
    private SnapshotReference() {}

    public static DatasetSnapshot open(String reference, Path datasetsDir) throws IOException {
        Path asPath = Path.of(reference);
        if (Files.isDirectory(asPath)) {
            return DatasetSnapshot.open(asPath);
        }
        SnapshotCatalog catalog = new SnapshotCatalog(datasetsDir);
        int slash = reference.indexOf('/');
        if (slash > 0) {
            return catalog.open(reference.substring(0, slash), reference.substring(slash + 1));
        }
        return catalog.latest(reference)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no snapshot directory or dataset named '" + reference + "' in " + catalog.datasetsDir()));
    }
}
