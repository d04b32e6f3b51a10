package dev.tanrenai.beam;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check a worker makes before it touches the Tanrenai home: on a cluster the home (its
 * datasets) must be on a shared file system mounted at the same path on every worker, and a worker
 * that cannot see a directory the driver made fails at once, naming the directory and its host,
 * instead of writing parts nobody will find.
 */
public final class SharedFileSystem {
    private SharedFileSystem() {}

    /** {@code dir}, or a {@link HomeNotSharedException} when it is not a directory on this machine. */
    public static Path require(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new HomeNotSharedException(what + " " + dir + " is not a directory on worker " + host()
                    + ": on a cluster the Tanrenai home (--home, its datasets) must be on a shared file system"
                    + " mounted at the same path on the driver and every worker");
        }
        return dir;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "(unknown host: " + e.getMessage() + ")";
        }
    }

    /** A worker cannot reach the home directory the driver uses. */
    public static final class HomeNotSharedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public HomeNotSharedException(String message) {
            super(message);
        }
    }
}
