package dev.tanrenai.evaluate.score;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.registry.ModelRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model an evaluation scores: a base GGUF, optionally with one LoRA adapter, named by the SHA-256 of
 * both files (the cache and every result are keyed by them, never by a path or an alias).
 *
 * @param id the registry id ({@code a-…} for an adapter, {@code m-…} for a base model), or a file name
 * @param basePath the base model GGUF
 * @param baseSha256 its SHA-256
 * @param adapterPath the adapter GGUF, or null for the base model alone
 * @param adapterSha256 its SHA-256, or null
 */
public record ModelUnderTest(String id, Path basePath, String baseSha256, Path adapterPath, String adapterSha256) {

    public ModelUnderTest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(basePath, "basePath");
        requireSha(baseSha256, "base");
        if ((adapterPath == null) != (adapterSha256 == null)) {
            throw new IllegalArgumentException(id + ": an adapter needs both its path and its SHA-256");
        }
        if (adapterSha256 != null) {
            requireSha(adapterSha256, "adapter");
        }
    }

    /** A registered base model or adapter (the registry's recorded SHA-256 values). */
    public static ModelUnderTest of(ModelRef ref) {
        return ref.isAdapter()
                ? new ModelUnderTest(
                        ref.adapter().id(),
                        ref.base().path(),
                        ref.base().sha256(),
                        ref.adapter().path(),
                        ref.adapter().sha256())
                : new ModelUnderTest(
                        ref.base().id(), ref.base().path(), ref.base().sha256(), null, null);
    }

    /** A base model file, optionally with an adapter file (hashed here). */
    public static ModelUnderTest ofFiles(Path base, Path adapter) throws IOException {
        String baseSha = Sha256.ofFile(base);
        if (adapter == null) {
            return new ModelUnderTest(base.getFileName().toString(), base, baseSha, null, null);
        }
        return new ModelUnderTest(adapter.getFileName().toString(), base, baseSha, adapter, Sha256.ofFile(adapter));
    }

    public boolean hasAdapter() {
        return adapterPath != null;
    }

    /** The base model alone. */
    public ModelUnderTest base() {
        return hasAdapter()
                ? new ModelUnderTest("base:" + baseSha256.substring(0, 12), basePath, baseSha256, null, null)
                : this;
    }

    /** {@code <base sha 16>-<adapter sha 16 | base>}: the model part of a cache key. */
    public String cacheKey() {
        return baseSha256.substring(0, 16) + "-" + (hasAdapter() ? adapterSha256.substring(0, 16) : "base");
    }

    /** Whether {@code other} is the same weights (same files by content). */
    public boolean sameWeights(ModelUnderTest other) {
        return baseSha256.equals(other.baseSha256) && Objects.equals(adapterSha256, other.adapterSha256);
    }

    /** The identity as recorded in results and reports. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("baseSha256", baseSha256);
        m.put("adapterSha256", adapterSha256);
        m.put("basePath", basePath.toString());
        m.put("adapterPath", adapterPath == null ? null : adapterPath.toString());
        return m;
    }

    private static void requireSha(String sha, String what) {
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(what + " SHA-256 must be 64 lower-case hex digits, got " + sha);
        }
    }
}
