package dev.tanrenai.evaluate.probes;

/**
 * A probe could not be run to a verdict (llama.cpp failed, or the generation was cut off by its
 * timeout): an error naming the probe and the model, never a silent pass or fail.
 */
public final class ProbeRunException extends RuntimeException {

    private final String probeId;
    private final String modelId;

    public ProbeRunException(String probeId, String modelId, String what) {
        super("probe " + probeId + " on model " + modelId + ": " + what);
        this.probeId = probeId;
        this.modelId = modelId;
    }

    public ProbeRunException(String probeId, String modelId, String what, Throwable cause) {
        super("probe " + probeId + " on model " + modelId + ": " + what, cause);
        this.probeId = probeId;
        this.modelId = modelId;
    }

    public String probeId() {
        return probeId;
    }

    public String modelId() {
        return modelId;
    }
}
