package dev.tanrenai.datasets.lock;

import dev.tanrenai.datasets.store.Database;

/** A run in another JVM: takes a lock, says so on stdout, and holds it until killed or stdin closes. */
public final class LockHolderProcess {
    private LockHolderProcess() {}

    public static void main(String[] args) throws Exception {
        RunLock lock = RunLock.acquire(Database.open(args[0]), args[1], args[2]);
        System.out.println("HELD " + lock.holderId());
        System.out.flush();
        while (System.in.read() != -1) {
            // hold until stdin closes (or SIGKILL)
        }
        lock.close();
    }
}
