package dev.tanrenai.evaluate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident memory: {@code VmHWM} of {@code /proc/self/status}, as {@code bench train} reads it. */
final class PeakRss {
    private PeakRss() {}

    /** VmHWM in bytes, or -1 off Linux. */
    static long bytes() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
        return -1;
    }
}
