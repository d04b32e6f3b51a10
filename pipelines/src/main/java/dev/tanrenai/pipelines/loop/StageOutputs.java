package dev.tanrenai.pipelines.loop;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a reused stage's recorded output back into its typed result. */
final class StageOutputs {

    private StageOutputs() {}

    static Object read(Map<String, Object> m, Class<?> type) {
        if (type == LoopStages.Trained.class) {
            return new LoopStages.Trained(
                    text(m, "adapter"),
                    text(m, "adapterSha256"),
                    text(m, "trainRun"),
                    text(m, "dataset"),
                    ids(m),
                    null);
        }
        if (type == LoopStages.Evaluated.class) {
            if (!(m.get("promote") instanceof Boolean promote)) {
                throw new IllegalStateException("a recorded evaluate stage has no 'promote' decision: " + m);
            }
            return new LoopStages.Evaluated(
                    text(m, "evaluation"), promote, text(m, "summary"), Path.of(text(m, "report")), null);
        }
        if (type == Map.class) {
            return m;
        }
        throw new IllegalArgumentException("no reader for a recorded stage output of type " + type.getName());
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalStateException("a recorded stage output has no text '" + key + "': " + m.keySet());
        }
        return s;
    }

    private static List<String> ids(Map<String, Object> m) {
        if (!(m.get("trainedOn") instanceof List<?> list)) {
            throw new IllegalStateException("a recorded train stage has no 'trainedOn' list");
        }
        return list.stream().map(String::valueOf).toList();
    }
}
