package dev.tanrenai.pipelines.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load averages, printed beside benchmark figures: on a shared machine they are part of the result. */
final class LoadAverage {
    private LoadAverage() {}

    private static final Path LOADAVG = Path.of("/proc/loadavg");

    /** The 1-, 5- and 15-minute load averages ({@code "1.10 0.95 0.80"}), or {@code "unknown"} off Linux. */
    static String read() {
        if (!Files.isReadable(LOADAVG)) {
            return "unknown";
        }
        try {
            String[] fields = Files.readString(LOADAVG).trim().split("\\s+");
            if (fields.length < 3) {
                throw new IllegalStateException(LOADAVG + " has fewer than three fields: " + String.join(" ", fields));
            }
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOADAVG, e);
        }
    }
}
