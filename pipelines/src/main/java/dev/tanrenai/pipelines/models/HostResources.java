package dev.tanrenai.pipelines.models;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine has for a model: available memory (Linux's {@code MemAvailable}, the memory that
 * can be given to a new process without swapping; elsewhere the JVM's free physical memory) and cores.
 *
 * @param availableBytes memory a model may take
 * @param cores processors this process may use
 */
record HostResources(long availableBytes, int cores) {

    HostResources {
        if (availableBytes < 0 || cores < 1) {
            throw new IllegalArgumentException(
                    "available memory must be >= 0 and cores >= 1, got " + availableBytes + " bytes and " + cores);
        }
    }

    static HostResources detect() {
        return new HostResources(availableMemory(), Runtime.getRuntime().availableProcessors());
    }

    private static long availableMemory() {
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.isReadable(meminfo)) {
            try {
                Matcher m = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB$").matcher(Files.readString(meminfo));
                if (m.find()) {
                    return Long.parseLong(m.group(1)) * 1024;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + meminfo + ": " + e.getMessage(), e);
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getFreeMemorySize();
        }
        throw new IllegalStateException("cannot tell the available memory here: pass --memory");
    }

    /** Parses {@code 8G}, {@code 512M}, {@code 1.5G} or a byte count. */
    static long parseBytes(String text) {
        Matcher m = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)i?B?\\s*")
                .matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "--memory: expected a size such as 8G, 512M or 1073741824, got '" + text + "'");
        }
        double n = Double.parseDouble(m.group(1));
        int shift =
                switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
                    case "" -> 0;
                    case "K" -> 10;
                    case "M" -> 20;
                    case "G" -> 30;
                    case "T" -> 40;
                    default -> throw new IllegalArgumentException("--memory: unknown unit in '" + text + "'");
                };
        return (long) (n * (1L << shift));
    }
}
