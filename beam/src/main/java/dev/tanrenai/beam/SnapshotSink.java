package dev.tanrenai.beam;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.ExtraColumn;
import dev.tanrenai.datasets.snapshot.SnapshotPart;
import dev.tanrenai.datasets.snapshot.SnapshotParts;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The driver's half of {@link WriteSnapshot}: after the pipeline, it reads the parts' meta files
 * (a few bytes each), names the parts {@code part-NNNNN.arrow} in hash-range order and publishes
 * the snapshot ({@link SnapshotParts#publish}). Its memory is the list of parts, whatever the rows.
 */
public final class SnapshotSink {
    private static final Pattern META = Pattern.compile("shard-(\\d{5})\\.meta");

    private SnapshotSink() {}

    static String shardFile(int part) {
        return String.format(Locale.ROOT, "shard-%05d.arrow", part);
    }

    private static String metaFile(int part) {
        return String.format(Locale.ROOT, "shard-%05d.meta", part);
    }

    static void writeMeta(Path dir, int part, SnapshotParts.Written w) throws IOException {
        Path meta = dir.resolve(metaFile(part));
        Path temp = dir.resolve(metaFile(part) + ".inprogress-" + java.util.UUID.randomUUID());
        Files.writeString(temp, w.rows() + " " + w.sha256() + " " + w.bytes() + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The parts the workers wrote into a staging directory, by hash-range index. */
    public record Staged(Path staging, Map<Integer, SnapshotParts.Written> shards) {
        public Staged {
            shards = Collections.unmodifiableMap(new TreeMap<>(shards));
        }

        /** Rows in all parts. */
        public long rows() {
            return shards.values().stream()
                    .mapToLong(SnapshotParts.Written::rows)
                    .sum();
        }
    }

    /**
     * The parts the workers wrote into {@code staging}, from their meta files.
     *
     * @param partsWritten how many parts the workers reported writing (the sink's counter), or -1
     *     when unknown; fewer meta files than that means this machine does not see the workers'
     *     files: the home is not on a shared file system
     * @throws SharedFileSystem.HomeNotSharedException then
     */
    public static Staged collect(Path staging, long partsWritten) throws IOException {
        Map<Integer, SnapshotParts.Written> shards = new TreeMap<>();
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.toList()) {
                Matcher m = META.matcher(f.getFileName().toString());
                if (m.matches()) {
                    String[] fields = Files.readString(f, StandardCharsets.US_ASCII)
                            .strip()
                            .split(" ");
                    if (fields.length != 3) {
                        throw new IOException(f + ": expected 'rows sha256 bytes', read " + String.join(" ", fields));
                    }
                    shards.put(
                            Integer.parseInt(m.group(1)),
                            new SnapshotParts.Written(Long.parseLong(fields[0]), fields[1], Long.parseLong(fields[2])));
                }
            }
        }
        if (partsWritten >= 0 && shards.size() < partsWritten) {
            throw new SharedFileSystem.HomeNotSharedException("the workers wrote " + partsWritten
                    + " snapshot parts into " + staging + " but the driver on " + SharedFileSystem.host() + " sees "
                    + shards.size() + ": on a cluster the Tanrenai home (--home, its datasets) must be on a shared"
                    + " file system mounted at the same path on the driver and every worker");
        }
        return new Staged(staging, shards);
    }

    /** Publishes the snapshot of {@code staged} ({@link SnapshotParts#publish}); no part is read. */
    public static DatasetSnapshot publish(
            Path datasetsDir,
            String dataset,
            List<ExtraColumn> columns,
            Staged staged,
            SnapshotProvenance provenance,
            Map<String, Long> counts)
            throws IOException {
        Path staging = staged.staging();
        Map<Integer, SnapshotParts.Written> shards = staged.shards();
        List<SnapshotPart> parts = new ArrayList<>();
        for (Map.Entry<Integer, SnapshotParts.Written> e : shards.entrySet()) {
            String name = SnapshotPart.fileName(parts.size());
            Path shard = staging.resolve(shardFile(e.getKey()));
            if (!Files.isRegularFile(shard)) {
                throw new IOException(
                        staging + ": " + metaFile(e.getKey()) + " names " + shard.getFileName() + ", which is missing");
            }
            Files.move(shard, staging.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(staging.resolve(metaFile(e.getKey())));
            SnapshotParts.Written w = e.getValue();
            parts.add(new SnapshotPart(name, w.rows(), w.sha256(), w.bytes()));
        }
        try (Stream<Path> left = Files.list(staging)) {
            for (Path f : left.toList()) {
                if (f.getFileName().toString().contains(".inprogress-")) {
                    Files.delete(f); // an attempt the runner retried
                }
            }
        }
        if (parts.isEmpty()) {
            String name = SnapshotPart.fileName(0);
            SnapshotParts.Written w = SnapshotParts.write(
                    staging.resolve(name), columns, Collections.emptyIterator(), WriteSnapshot.ROWS_PER_BATCH);
            parts.add(new SnapshotPart(name, w.rows(), w.sha256(), w.bytes()));
        }
        return SnapshotParts.publish(datasetsDir, dataset, staging, parts, provenance, counts);
    }
}
