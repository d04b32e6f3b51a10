package dev.tanrenai.beam;

import dev.tanrenai.datasets.Conversation;
import java.util.List;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Registers the project's coders with every Beam pipeline on the class path (found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services}): {@link ConversationCoder} for
 * {@link Conversation}.
 */
public final class TanrenaiCoders implements CoderProviderRegistrar {

    @Override
    public List<CoderProvider> getCoderProviders() {
        return List.of(CoderProviders.forCoder(TypeDescriptor.of(Conversation.class), ConversationCoder.of()));
    }
}
