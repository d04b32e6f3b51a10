package dev.tanrenai.curate;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A per-conversation curate stage ({@link Normalize}, {@link RedactSecrets}, {@link Score},
 * {@link Split}): what its DoFn does to one element, so {@link Curate} can run the very same code
 * guarded, sending a conversation the stage fails on to the dead-letter output.
 */
interface CurateStep extends Serializable {

    /** Emits the element as the stage leaves it, or nothing when the stage drops it (counted). */
    void process(Curated element, DoFn.OutputReceiver<Curated> out);
}
