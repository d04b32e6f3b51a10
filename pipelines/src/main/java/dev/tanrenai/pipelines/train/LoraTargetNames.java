package dev.tanrenai.pipelines.train;

import dev.tanrenai.decoder.lora.LoraTarget;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * The values {@code --targets} accepts ({@code q}, {@code k}, ... as {@link LoraTarget#fromName}
 * parses them), for picocli's {@code ${COMPLETION-CANDIDATES}}: the option holds names, not enum
 * constants, so picocli cannot list them by itself.
 */
public final class LoraTargetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(LoraTarget.values())
                .map(t -> t.name().toLowerCase(Locale.ROOT))
                .iterator();
    }
}
