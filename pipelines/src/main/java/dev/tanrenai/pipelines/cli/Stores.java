package dev.tanrenai.pipelines.cli;

import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.config.TanrenaiConfig;

/** Opens the stores a command needs, from its configuration. */
public final class Stores {
    private Stores() {}

    public static Database database(TanrenaiConfig config) {
        config.home().initialize();
        return Database.open(config.storeUrl());
    }

    public static ConversationStore conversations(TanrenaiConfig config) {
        return new ConversationStore(database(config));
    }

    public static ModelRegistry registry(TanrenaiConfig config) {
        return new ModelRegistry(database(config), config.home());
    }
}
