package dev.tanrenai.models.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * What a model reference resolved to: a base model alone, or an adapter with its base model.
 *
 * @param base the base model (always present)
 * @param adapter the adapter, or null for a plain base model
 */
public record ModelRef(BaseModel base, Adapter adapter) {
    public ModelRef {
        Objects.requireNonNull(base, "base");
        if (adapter != null && !adapter.baseModelId().equals(base.id())) {
            throw new IllegalArgumentException(
                    "adapter " + adapter.id() + " belongs to " + adapter.baseModelId() + ", not " + base.id());
        }
    }

    /** The adapter's id when there is one, else the base model's. */
    public String id() {
        return adapter == null ? base.id() : adapter.id();
    }

    public boolean isAdapter() {
        return adapter != null;
    }

    public Optional<Adapter> adapterIfAny() {
        return Optional.ofNullable(adapter);
    }
}
