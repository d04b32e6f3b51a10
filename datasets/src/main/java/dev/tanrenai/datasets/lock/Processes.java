package dev.tanrenai.datasets.lock;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** This process and host, and whether a process of this host is still the one that took a lock. */
final class Processes {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private Processes() {}

    static long currentPid() {
        return ProcessHandle.current().pid();
    }

    /** The host name, read without a network lookup where the kernel tells it. */
    static String hostName() {
        try {
            if (Files.isReadable(KERNEL_HOSTNAME)) {
                String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8)
                        .strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot tell this host's name for the run lock", e);
        }
    }

    /**
     * Why the process {@code pid} of this host is not the lock holder that started at {@code started}
     * — it has ended, or its pid now belongs to a process started later — or empty when it may be.
     */
    static Optional<String> gone(long pid, Instant started) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return Optional.of("its process " + pid + " has ended");
        }
        Optional<Instant> began = process.get().info().startInstant();
        // start times are rounded to clock ticks: allow a few seconds before calling the pid reused
        if (began.isPresent() && began.get().isAfter(started.plusSeconds(5))) {
            return Optional.of("pid " + pid + " now belongs to a process started at " + began.get()
                    + ", after the lock was taken");
        }
        return Optional.empty();
    }
}
