package dev.tanrenai.datasets.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The Beam options the stage pipelines start from, before the caller's own: the direct runner
 * without its test-only checks (re-encoding every element to verify coders and immutability, which
 * costs an order of magnitude in throughput). A caller's {@code --enforce...=true} still wins, and
 * other runners ignore these options.
 */
public final class BeamDefaults {
    private BeamDefaults() {}

    public static String[] args(List<String> callerArgs) {
        List<String> out = new ArrayList<>();
        if (callerArgs.stream().noneMatch(a -> a.startsWith("--enforceImmutability"))) {
            out.add("--enforceImmutability=false");
        }
        if (callerArgs.stream().noneMatch(a -> a.startsWith("--enforceEncodability"))) {
            out.add("--enforceEncodability=false");
        }
        out.addAll(callerArgs);
        return out.toArray(String[]::new);
    }
}
