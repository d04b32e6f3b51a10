package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.config.NightlyConfig;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.evaluate.EvaluateOptions;
import dev.tanrenai.pipelines.stages.ExtractCurate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the loop would train on and against what, decided from the curated batches and the registry.
 *
 * @param pending the batches to train on, in id order (new ones and earlier refused ones)
 * @param newConversations training conversations in batches never refused
 * @param retriedConversations training conversations in batches refused before (kept for another night)
 * @param setAside batches set aside after too many refusals
 * @param champion the champion, or null when there is none
 * @param base the base model trained
 * @param continueFrom the champion's adapter continued, or null (fresh from the base)
 * @param policy the gate's policy file, or null for {@code <home>/policy.yaml} or the defaults
 */
public record NightlyPlan(
        List<DatasetSnapshot> pending,
        int newConversations,
        int retriedConversations,
        List<String> setAside,
        ModelRef champion,
        BaseModel base,
        Adapter continueFrom,
        Path policy) {

    /** Why the run trains nothing, or null when it trains. */
    public String skipReason(NightlyConfig n) {
        if (newConversations == 0) {
            return "no new conversations to train on"
                    + (retriedConversations > 0
                            ? " (" + retriedConversations + " from refused batches wait for new data)"
                            : "");
        }
        if (newConversations < n.minConversations()) {
            return newConversations + " new conversation(s), fewer than nightly.minConversations = "
                    + n.minConversations();
        }
        return null;
    }

    /** This plan against {@code previous} as the champion (a run that moved the alias died before its lineage). */
    public NightlyPlan withChampion(ModelRef previous, boolean continueChampion) {
        Adapter from = continueChampion && previous != null && previous.isAdapter() ? previous.adapter() : null;
        return new NightlyPlan(pending, newConversations, retriedConversations, setAside, previous, base, from, policy);
    }

    public List<String> batchIds() {
        return pending.stream().map(DatasetSnapshot::id).toList();
    }

    public static NightlyPlan of(TanrenaiConfig config, ModelRegistry registry, Batches batches) throws IOException {
        NightlyConfig n = config.nightly();
        SnapshotCatalog catalog = new SnapshotCatalog(config.home().datasetsDir());
        Map<String, Batches.Batch> known = batches.all();
        List<DatasetSnapshot> pending = new ArrayList<>();
        List<String> setAside = new ArrayList<>();
        int fresh = 0;
        int retried = 0;
        for (String id : catalog.snapshotIds(ExtractCurate.CURATED)) {
            Batches.Batch b = known.get(id);
            if (b != null && Batches.SET_ASIDE.equals(b.state())) {
                setAside.add(id);
                continue;
            }
            if (b != null && Batches.LEARNED.equals(b.state())) {
                continue;
            }
            DatasetSnapshot s = catalog.open(ExtractCurate.CURATED, id);
            int rows = LoopStages.trainingConversations(s);
            if (rows == 0) {
                continue;
            }
            pending.add(s);
            if (b == null || b.refusals() == 0) {
                fresh += rows;
            } else {
                retried += rows;
            }
        }
        ModelRef champion = registry.alias(EvaluateOptions.CHAMPION).orElse(null);
        BaseModel base;
        if (!n.base().isEmpty()) {
            ModelRef ref = registry.resolve(n.base());
            if (ref.isAdapter()) {
                throw new IllegalArgumentException("nightly.base: '" + n.base() + "' is adapter " + ref.id()
                        + "; name a base model (the loop continues the champion's adapter by itself)");
            }
            base = ref.base();
        } else if (champion != null) {
            base = champion.base();
        } else {
            throw new IllegalArgumentException("the loop has no model to train: point the champion alias at a model"
                    + " (pipeline models alias champion MODEL) or set nightly.base in the configuration");
        }
        Adapter continueFrom = null;
        if (n.continueChampion() && champion != null && champion.isAdapter()) {
            if (!champion.base().id().equals(base.id())) {
                throw new IllegalArgumentException("nightly.base " + base.id() + " is not the champion's base "
                        + champion.base().id() + "; set nightly.continueChampion: false to train it fresh");
            }
            continueFrom = champion.adapter();
        }
        Path policy = null;
        if (!n.policy().isEmpty()) {
            policy = Path.of(n.policy());
            if (!policy.isAbsolute()) {
                policy = config.home().root().resolve(policy);
            }
            if (!Files.isRegularFile(policy)) {
                throw new IllegalArgumentException("nightly.policy: no such file " + policy);
            }
        }
        return new NightlyPlan(pending, fresh, retried, setAside, champion, base, continueFrom, policy);
    }
}
