package dev.tanrenai.datasets.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.lock.RunLock;
import dev.tanrenai.datasets.lock.RunLockHeldException;
import dev.tanrenai.datasets.testing.PostgresDatabases;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The run lock on PostgreSQL: of racing runs exactly one gets the lock, or recovers a stale one. */
class RunLockPostgresIT {

    private static final int RUNS = 6;

    @Test
    void racingRunsGetOneLockAndTheOthersAreRefusedNamingIt() throws Exception {
        String url = PostgresDatabases.fresh("runlock");
        List<Object> outcomes = race(url, "pipeline");
        List<RunLock> winners = locks(outcomes);
        assertEquals(1, winners.size(), outcomes.toString());
        for (Object o : outcomes) {
            if (o instanceof RunLockHeldException refused) {
                assertEquals(winners.get(0).holderId(), refused.holder().holderId());
            }
        }
        winners.get(0).close();

        // a holder on another host whose heartbeat stopped ten minutes ago: exactly one racer recovers it
        Database db = Database.open(url);
        db.write("a stale foreign holder", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO run_locks (name, holder, command, pid, host, "
                    + "started, heartbeat) VALUES ('pipeline', 'run-dead', 'run curate', 7, 'gone-host', ?, ?)")) {
                p.setString(1, Instant.now().minusSeconds(900).toString());
                p.setString(2, Instant.now().minusSeconds(600).toString());
                return p.executeUpdate();
            }
        });
        List<Object> again = race(url, "pipeline");
        List<RunLock> recovered = locks(again);
        assertEquals(1, recovered.size(), again.toString());
        assertEquals(
                "run-dead",
                recovered.get(0).recovered().orElseThrow().previous().holderId());
        recovered.get(0).close();
    }

    private static List<RunLock> locks(List<Object> outcomes) {
        List<RunLock> locks = new ArrayList<>();
        for (Object o : outcomes) {
            if (o instanceof RunLock lock) {
                locks.add(lock);
            } else {
                assertTrue(o instanceof RunLockHeldException, "refused, not failed: " + o);
            }
        }
        return locks;
    }

    private static List<Object> race(String url, String name) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Database db = Database.open(url);
            int run = i;
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    return RunLock.acquire(db, name, "racer " + run);
                } catch (RunLockHeldException | StoreException e) {
                    return e;
                }
            }));
        }
        start.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> f : futures) {
            outcomes.add(f.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();
        return outcomes;
    }
}
