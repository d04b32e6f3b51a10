package dev.tanrenai.models.registry;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.validate.AdapterValidator;
import dev.tanrenai.models.validate.ModelValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The model registry: base models and LoRA adapters (GGUF files, identified by SHA-256) and the
 * aliases ({@code champion}, {@code challenger}, ...) that point at them, with a full move history.
 * Rows live in the store {@link Database}; files live under the {@link TanrenaiHome} when copied there.
 *
 * <p>References resolve in this order: exact id, alias, base model name, unique SHA-256 prefix of at
 * least 8 hex digits. A reference that is both an alias and a name of different entries is ambiguous.
 */
public final class ModelRegistry {
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final Database db;
    private final TanrenaiHome home;
    private final RegistryFiles files;

    /** Opens the registry, migrating its tables in {@code db} if needed. */
    public ModelRegistry(Database db, TanrenaiHome home) {
        this.db = Objects.requireNonNull(db, "db");
        this.home = Objects.requireNonNull(home, "home");
        this.files = new RegistryFiles(home);
        db.migrate(RegistrySchema.COMPONENT, RegistrySchema.MIGRATIONS);
    }

    public TanrenaiHome home() {
        return home;
    }

    /**
     * Registers a base model GGUF; re-adding a file with the same content returns the existing entry.
     *
     * @param name unique name; null means the file name without {@code .gguf}
     * @param copyIntoHome copy the file to {@code <home>/models/<id>.gguf} and register that copy
     */
    public BaseModel addBaseModel(Path gguf, String name, boolean copyIntoHome) {
        Path source = files.requireFile(gguf, "base model");
        Map<String, String> header = GgufHeader.read(source);
        String type = header.getOrDefault("general.type", "model");
        if (!type.equals("model")) {
            throw new RegistryException(source + " has general.type=" + type + ", not a base model"
                    + ("adapter".equals(type) ? "; register it with addAdapter" : ""));
        }
        ModelValidator.validateBase(source); // llama.cpp must never see a model that aborts it
        String sha = FileDigest.sha256(source);
        Optional<BaseModel> existing = baseBySha(sha);
        if (existing.isPresent()) {
            return existing.get();
        }
        String architecture = GgufFacts.architecture(header, source);
        String finalName = name != null ? name : stem(source);
        if (finalName.isBlank()
                || finalName.length() > 255
                || !finalName.strip().equals(finalName)) {
            throw new RegistryException(
                    "model name '" + finalName + "' must be 1-255 characters without surrounding blanks");
        }
        String id = "m-" + sha.substring(0, 12);
        requireNameFree(finalName, id);
        Path path = copyIntoHome ? files.copyInto(source, home.modelsDir(), id, sha) : source;
        BaseModel model = new BaseModel(
                id,
                finalName,
                path,
                sha,
                architecture,
                GgufFacts.keyMetadata(header, architecture),
                fileSize(path),
                Instant.now());
        return db.write("register base model " + id + " from " + source, c -> {
            List<BaseModel> raced = RegistryRows.bases(c, "WHERE sha256 = ?", sha);
            if (!raced.isEmpty()) {
                return raced.get(0);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO registry_base_models (" + RegistryRows.BASE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)")) {
                p.setString(1, model.id());
                p.setString(2, model.name());
                p.setString(3, model.path().toString());
                p.setString(4, model.sha256());
                p.setString(5, model.architecture());
                p.setString(6, RegistryRows.toJson(model.keyMetadata()));
                p.setLong(7, model.sizeBytes());
                p.setString(8, model.addedAt().toString());
                p.executeUpdate();
            }
            return model;
        });
    }

    /**
     * Registers a LoRA adapter GGUF for a base model and copies it to {@code <home>/adapters/<id>.gguf};
     * re-adding the same content returns the existing entry.
     *
     * @param baseModelRef id, name or alias of the base model
     * @throws RegistryException when the file is not a LoRA adapter or its architecture differs from the base's
     */
    public Adapter addAdapter(
            Path gguf,
            String baseModelRef,
            String producingRunId,
            String datasetSnapshotId,
            Map<String, String> provenance) {
        Path source = files.requireFile(gguf, "adapter");
        ModelRef baseRef = resolve(baseModelRef);
        if (baseRef.isAdapter()) {
            throw new RegistryException("'" + baseModelRef + "' is adapter " + baseRef.id()
                    + "; an adapter needs a base model, e.g. " + baseRef.base().id());
        }
        BaseModel base = baseRef.base();
        String sha = FileDigest.sha256(source);
        String id = "a-" + sha.substring(0, 12);
        Map<String, String> header = GgufHeader.read(source);
        GgufFacts.requireLoraAdapterFor(header, source, base);
        AdapterValidator.validate(source, base.path()); // values, alpha and shapes against the base
        Optional<ModelRef> existing = db.read("look up adapter " + id, c -> RegistryRows.byId(c, id));
        if (existing.isPresent() && existing.get().isAdapter()) {
            Adapter known = existing.get().adapter();
            if (!known.baseModelId().equals(base.id())) {
                throw new RegistryException("adapter " + source + " is already registered as " + id + " for base model "
                        + known.baseModelId() + ", not " + base.id());
            }
            return known;
        }
        Path path = files.copyInto(source, home.adaptersDir(), id, sha);
        Adapter adapter = new Adapter(
                id,
                base.id(),
                path,
                sha,
                base.architecture(),
                producingRunId,
                datasetSnapshotId,
                provenance == null ? Map.of() : provenance,
                fileSize(path),
                Instant.now());
        return db.write("register adapter " + id + " from " + source, c -> {
            List<Adapter> raced = RegistryRows.adapters(c, "WHERE sha256 = ?", sha);
            if (!raced.isEmpty()) {
                return raced.get(0);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO registry_adapters ("
                    + RegistryRows.ADAPTER_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, adapter.id());
                p.setString(2, adapter.baseModelId());
                p.setString(3, adapter.path().toString());
                p.setString(4, adapter.sha256());
                p.setString(5, adapter.architecture());
                p.setString(6, adapter.producingRunId());
                p.setString(7, adapter.datasetSnapshotId());
                p.setString(8, RegistryRows.toJson(adapter.provenance()));
                p.setLong(9, adapter.sizeBytes());
                p.setString(10, adapter.addedAt().toString());
                p.executeUpdate();
            }
            return adapter;
        });
    }

    /**
     * Resolves an id, alias, base model name or SHA-256 prefix (>= 8 hex digits).
     *
     * @throws RegistryException listing the candidates when unknown or ambiguous
     */
    public ModelRef resolve(String reference) {
        Objects.requireNonNull(reference, "reference");
        return db.read("resolve model '" + reference + "'", c -> RefResolver.resolve(c, reference));
    }

    /** Points {@code alias} at {@code targetId} (a base model or adapter id), recording the move. */
    public AliasMove moveAlias(String alias, String targetId, String reason, String actor) {
        requireServable(targetId);
        return AliasMoves.move(db, alias, false, null, targetId, reason, actor);
    }

    /**
     * Like {@link #moveAlias(String, String, String, String)} but only if the alias still points to
     * {@code expectedCurrentId} (null: the alias must not exist yet).
     *
     * @throws AliasConflictException when someone else moved it
     */
    public AliasMove moveAlias(String alias, String expectedCurrentId, String targetId, String reason, String actor) {
        requireServable(targetId);
        return AliasMoves.move(db, alias, true, expectedCurrentId, targetId, reason, actor);
    }

    /**
     * Removes {@code alias} if it still points at {@code expectedCurrentId} (an A/B experiment clears the
     * challenger alias when it ends). The history keeps the moves that set it; why it was cleared is
     * recorded by the caller (the experiment store).
     *
     * @throws AliasConflictException when the alias points elsewhere (someone moved it meanwhile)
     */
    public void clearAlias(String alias, String expectedCurrentId) {
        AliasMoves.requireAliasName(alias);
        db.write("clear alias " + alias, c -> {
            java.util.Optional<String> current = RegistryRows.aliasTarget(c, alias);
            if (!current.equals(java.util.Optional.ofNullable(expectedCurrentId))) {
                throw new AliasConflictException(alias, expectedCurrentId, current.orElse(null));
            }
            if (current.isPresent()) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM registry_aliases WHERE alias = ?")) {
                    p.setString(1, alias);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /** What {@code alias} points to, if it exists. */
    public Optional<ModelRef> alias(String name) {
        AliasMoves.requireAliasName(name);
        return db.read("read alias " + name, c -> {
            Optional<String> target = RegistryRows.aliasTarget(c, name);
            return target.isEmpty() ? Optional.<ModelRef>empty() : RegistryRows.byId(c, target.get());
        });
    }

    /** Every move of {@code alias}, oldest first. */
    public List<AliasMove> history(String alias) {
        AliasMoves.requireAliasName(alias);
        return db.read("read history of alias " + alias, c -> RegistryRows.history(c, alias));
    }

    /** All aliases and their target ids, by alias name. */
    public Map<String, String> aliases() {
        return db.read("list aliases", c -> {
            Map<String, String> out = new TreeMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT alias, target_id FROM registry_aliases");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
            return out;
        });
    }

    public List<BaseModel> baseModels() {
        return db.read("list base models", c -> RegistryRows.bases(c, ""));
    }

    public List<Adapter> adapters() {
        return db.read("list adapters", c -> RegistryRows.adapters(c, ""));
    }

    /** Checks that the file of base model or adapter {@code id} is present and unchanged. */
    public Verification verify(String id) {
        ModelRef ref = db.read("look up " + id, c -> RegistryRows.byId(c, id))
                .orElseThrow(() -> new RegistryException("no base model or adapter has id '" + id + "'"));
        Path path = ref.isAdapter() ? ref.adapter().path() : ref.base().path();
        String expected = ref.isAdapter() ? ref.adapter().sha256() : ref.base().sha256();
        if (!Files.isRegularFile(path)) {
            return new Verification(id, path, Verification.Status.MISSING, expected, null);
        }
        String actual = FileDigest.sha256(path);
        return new Verification(
                id,
                path,
                actual.equals(expected) ? Verification.Status.OK : Verification.Status.CHANGED,
                expected,
                actual);
    }

    /**
     * Validates the files of {@code targetId} (the base model, and the adapter against it) before an
     * alias points at them: a serving endpoint swaps in whatever an alias names. An unknown id is left
     * to the move, which reports it.
     *
     * @throws dev.tanrenai.models.validate.ModelValidationException naming the file, key or tensor
     */
    public void requireServable(String targetId) {
        Optional<ModelRef> target = targetId == null
                ? Optional.empty()
                : db.read("look up " + targetId, c -> RegistryRows.byId(c, targetId));
        if (target.isEmpty()) {
            return;
        }
        BaseModel base = target.get().base();
        ModelValidator.validateBase(base.path());
        target.get().adapterIfAny().ifPresent(a -> AdapterValidator.validate(a.path(), base.path()));
    }

    private Optional<BaseModel> baseBySha(String sha) {
        return db.read("look up base model by sha256", c -> RegistryRows.bases(c, "WHERE sha256 = ?", sha).stream()
                .findFirst());
    }

    private void requireNameFree(String name, String id) {
        List<BaseModel> same =
                db.read("look up base model name " + name, c -> RegistryRows.bases(c, "WHERE name = ?", name));
        if (!same.isEmpty()) {
            throw new RegistryException("base model name '" + name + "' is already used by "
                    + same.get(0).id() + " (" + same.get(0).path() + "); choose another name for " + id);
        }
    }

    static boolean isAliasName(String name) {
        return name != null && ALIAS.matcher(name).matches();
    }

    private static String stem(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.endsWith(".gguf") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    private static long fileSize(Path path) {
        try {
            return Files.size(path);
        } catch (java.io.IOException e) {
            throw new RegistryException("cannot read the size of " + path + ": " + e.getMessage(), e);
        }
    }
}
