package dev.tanrenai.datasets.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The code version this Tanrenai was built from: recorded in every dataset manifest, adapter and
 * run record. Read from the {@code git.properties} the build generates.
 *
 * @param version the Maven project version
 * @param commit the full git commit id, or {@code "unknown"} when built outside a git checkout
 * @param dirty whether the working tree had uncommitted changes when built
 * @param commitTime the commit's time (ISO-8601), or {@code "unknown"}
 */
public record BuildInfo(String version, String commit, boolean dirty, String commitTime) {

    private static final String RESOURCE = "git.properties";
    private static final BuildInfo CURRENT = load();

    /** The build this code belongs to. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code 0.1.0-SNAPSHOT+abc1234} (with {@code .dirty} when the tree was dirty). */
    public String describe() {
        String shortCommit = commit.length() > 12 ? commit.substring(0, 12) : commit;
        return version + "+" + shortCommit + (dirty ? ".dirty" : "");
    }

    /** The fields as an ordered map, for manifests. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("version", version);
        map.put("commit", commit);
        map.put("dirty", dirty);
        map.put("commitTime", commitTime);
        return map;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build provenance " + RESOURCE, e);
        }
        return new BuildInfo(
                p.getProperty("git.build.version", "unknown"),
                p.getProperty("git.commit.id", "unknown"),
                Boolean.parseBoolean(p.getProperty("git.dirty", "false")),
                p.getProperty("git.commit.time", "unknown"));
    }
}
