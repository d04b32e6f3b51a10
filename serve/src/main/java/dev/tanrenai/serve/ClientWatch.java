package dev.tanrenai.serve;

import dev.tanrenai.models.runtime.CancellationToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices clients that closed their connection while their answer is being generated, and cancels
 * that generation. A non-streaming request writes nothing until the end, and Jetty does not read a
 * connection while its request is being handled, so a closed connection is otherwise only found when
 * the answer is written. Every {@link #PERIOD_MILLIS} ms one thread reads the kernel's TCP table
 * ({@code /proc/net/tcp} and {@code tcp6}, Linux) once for all watched requests: a connection that is
 * no longer ESTABLISHED (CLOSE_WAIT after the client's FIN, or gone after a reset) cancels its
 * generation, which then ends within one token. Where the table cannot be read (not Linux), or never
 * lists the connection, nothing is cancelled and a gone client is found when its answer is written.
 */
final class ClientWatch implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String ESTABLISHED = "01";

    /** Ends a watch. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * One watched request: the server-side connection as the TCP table names it, what to cancel, and
     * whether the table ever listed it (a connection never found, e.g. behind an address this class
     * does not spell as the kernel does, is never cancelled for being absent).
     */
    record Watched(Set<String> localRemote, CancellationToken cancel, java.util.concurrent.atomic.AtomicBoolean seen) {}

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "client-watch");
        t.setDaemon(true);
        return t;
    });

    ClientWatch() {
        ticker.scheduleWithFixedDelay(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the connection from {@code remoteAddress:remotePort} to {@code localAddress:localPort}
     * until the returned registration is closed.
     */
    Registration watch(
            String localAddress, int localPort, String remoteAddress, int remotePort, CancellationToken cancel) {
        Set<String> keys = new HashSet<>();
        for (String local : encodings(localAddress, localPort)) {
            for (String remote : encodings(remoteAddress, remotePort)) {
                keys.add(local + " " + remote);
            }
        }
        if (keys.isEmpty()) {
            return () -> {};
        }
        Watched w = new Watched(Set.copyOf(keys), cancel, new java.util.concurrent.atomic.AtomicBoolean());
        watched.add(w);
        return () -> watched.remove(w);
    }

    private void tick() {
        if (watched.isEmpty()) {
            return;
        }
        java.util.Map<String, String> states = new java.util.HashMap<>();
        try {
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    for (String line : Files.readAllLines(table)) {
                        String[] f = line.trim().split("\\s+");
                        if (f.length > 3) {
                            states.put(f[1] + " " + f[2], f[3]);
                        }
                    }
                } else if (table.getFileName().toString().equals("tcp")) {
                    return; // no TCP table here: nothing can be told about the connections
                }
            }
        } catch (IOException e) {
            return; // unreadable this time: the next tick tries again; writing the answer still notices
        }
        for (Watched w : watched) {
            String state = w.localRemote().stream()
                    .map(states::get)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            if (ESTABLISHED.equals(state)) {
                w.seen().set(true);
            } else if (state != null || w.seen().get()) { // CLOSE_WAIT after a FIN, or gone after a reset
                w.cancel().cancel();
                watched.remove(w);
            }
        }
    }

    /** How {@code /proc/net/tcp} (IPv4) and {@code tcp6} (IPv6, IPv4-mapped included) print an endpoint. */
    static Set<String> encodings(String address, int port) {
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(stripBrackets(address)).getAddress();
        } catch (UnknownHostException e) {
            return Set.of();
        }
        String p = String.format(Locale.ROOT, ":%04X", port);
        Set<String> out = new HashSet<>();
        if (bytes.length == 4) {
            out.add(words(bytes) + p);
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            out.add(words(mapped) + p);
        } else {
            out.add(words(bytes) + p);
        }
        return out;
    }

    /** The address as the kernel prints it: 32-bit words, each in little-endian byte order. */
    private static String words(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int w = 0; w < bytes.length; w += 4) {
            for (int b = 3; b >= 0; b--) {
                s.append(String.format(Locale.ROOT, "%02X", bytes[w + b] & 0xff));
            }
        }
        return s.toString();
    }

    private static String stripBrackets(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
