package dev.tanrenai.datasets.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The snapshots of one dataset that no snapshot of a downstream dataset was built from: a batch
 * extracted by a run that was killed (or failed) before it was curated stays here until a run
 * curates it. "Built from" is read from the downstream manifests' {@code provenance.inputs} of kind
 * {@code snapshot}, whose uri is the input's directory {@code .../<dataset>/<snapshotId>}.
 */
public final class Unconsumed {

    private Unconsumed() {}

    /**
     * The snapshots of {@code upstream} holding at least one row that no snapshot of {@code
     * downstream} lists as an input, opened and verified, sorted by id.
     */
    public static List<DatasetSnapshot> of(Path datasetsDir, String upstream, String downstream) throws IOException {
        SnapshotCatalog catalog = new SnapshotCatalog(datasetsDir);
        Set<String> consumed = consumedBy(catalog, upstream, downstream);
        List<DatasetSnapshot> pending = new ArrayList<>();
        for (String id : catalog.snapshotIds(upstream)) {
            if (consumed.contains(id)) {
                continue;
            }
            SnapshotManifest manifest = manifest(datasetsDir.resolve(upstream).resolve(id));
            if (manifest.rowCount() > 0) {
                pending.add(catalog.open(upstream, id));
            }
        }
        return pending;
    }

    /** Ids of the {@code upstream} snapshots that some {@code downstream} snapshot was built from. */
    public static Set<String> consumedBy(SnapshotCatalog catalog, String upstream, String downstream)
            throws IOException {
        Set<String> consumed = new HashSet<>();
        for (String id : catalog.snapshotIds(downstream)) {
            SnapshotManifest m =
                    manifest(catalog.datasetsDir().resolve(downstream).resolve(id));
            for (SnapshotInput input : m.provenance().inputs()) {
                if (!"snapshot".equals(input.kind())) {
                    continue;
                }
                Path dir;
                try {
                    dir = Path.of(input.uri());
                } catch (InvalidPathException notAPath) {
                    continue; // an input named another way (e.g. a URL) is no local snapshot
                }
                Path name = dir.getFileName();
                Path parent = dir.getParent() == null ? null : dir.getParent().getFileName();
                if (name != null
                        && parent != null
                        && parent.toString().equals(upstream)
                        && SnapshotManifest.isSnapshotId(name.toString())) {
                    consumed.add(name.toString());
                }
            }
        }
        return consumed;
    }

    /** The manifest only (parsed and checked, parts not hashed): cheap enough for every snapshot. */
    private static SnapshotManifest manifest(Path snapshotDir) throws IOException {
        Path file = snapshotDir.resolve(SnapshotManifest.FILE_NAME);
        return ManifestJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }
}
