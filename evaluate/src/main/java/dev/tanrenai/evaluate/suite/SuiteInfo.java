package dev.tanrenai.evaluate.suite;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a suite is, as every result names it: its id, kind, version and the SHA-256 of its content
 * (the items it scores and how), so a result is only ever compared with or reused for the same suite.
 *
 * @param id unique within an evaluation, e.g. {@code heldout}, {@code general}, {@code tasks/arc_easy}
 * @param kind the kind of suite
 * @param version bumped when the way the suite scores changes
 * @param contentSha256 SHA-256 of the suite's items and settings
 * @param description one line for reports: what it measures and on what
 * @param source where the items come from (snapshot id, files, ...)
 */
public record SuiteInfo(
        String id, SuiteKind kind, int version, String contentSha256, String description, Map<String, Object> source) {

    public SuiteInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if (contentSha256 == null || !contentSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "suite " + id + ": content SHA-256 must be 64 hex digits, got " + contentSha256);
        }
        if (!id.matches("[a-z0-9][a-z0-9_./-]*")) {
            throw new IllegalArgumentException("suite id '" + id + "' must be lower-case letters, digits, _ . / -");
        }
        source = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(source));
    }

    /** {@code <id with / as _>-<first 12 of the hash>}: the suite part of a cache path. */
    public String cacheKey() {
        return id.replace('/', '_') + "-v" + version + "-" + contentSha256.substring(0, 12);
    }
}
