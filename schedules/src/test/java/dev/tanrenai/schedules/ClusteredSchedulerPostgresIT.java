package dev.tanrenai.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.testing.PostgresDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler instances (two hosts' homes) on one PostgreSQL database, clustered: a trigger due
 * every second fires exactly once per second between them, never twice, never not at all.
 */
class ClusteredSchedulerPostgresIT {

    @TempDir
    Path dir;

    @Test
    void twoInstancesOnOneDatabaseFireEachTriggerExactlyOnce() throws Exception {
        String url = PostgresDatabases.fresh("schedules");
        Path children = dir.resolve("children");
        FireCommand child =
                new FireCommand(List.of("/bin/sh", "-c", "echo \"$TANRENAI_FIRE_ID $TANRENAI_HOME\" >> " + children));
        SchedulerSettings settings = SchedulerSettings.DEFAULTS
                .withIdleWait(Duration.ofSeconds(1))
                .withClusterCheckin(Duration.ofSeconds(1))
                .withShutdownGrace(Duration.ofSeconds(10));
        TanrenaiHome a = new TanrenaiHome(dir.resolve("host-a"));
        TanrenaiHome b = new TanrenaiHome(dir.resolve("host-b"));
        List<FireRecord> fires;
        try (SchedulerService first = SchedulerService.start(a, url, child, settings, "host-a");
                SchedulerService second = SchedulerService.start(b, url, child, settings, "host-b")) {
            assertTrue(first.schedules().database().kind().clustered());
            first.schedules()
                    .add(new ScheduleSpec("every-second", "* * * * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
            // the other instance sees the schedule added through the first
            assertEquals(1, second.schedules().list().size());
            Thread.sleep(8000);
            first.schedules().pause("every-second");
            Thread.sleep(1500);
            fires = second.schedules().history("every-second");
        }
        List<FireRecord> ran =
                fires.stream().filter(f -> f.outcome() == FireOutcome.SUCCEEDED).toList();
        assertEquals(fires.size(), ran.size(), "every fire ran and succeeded: " + fires);
        assertTrue(ran.size() >= 5, fires.toString());
        TreeSet<Instant> seconds = new TreeSet<>();
        for (FireRecord f : ran) {
            assertTrue(seconds.add(f.scheduledAt()), "fired twice: " + f.scheduledAt() + " in " + fires);
        }
        // no second between the first and the last was left out
        long span = Duration.between(seconds.first(), seconds.last()).toSeconds();
        assertEquals(span + 1, seconds.size(), "a second with no fire: " + seconds);
        // one child per fire, and each child was started by one of the two instances
        List<String> lines = Files.readAllLines(children);
        assertEquals(ran.size(), lines.size(), lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.endsWith("host-a") || l.endsWith("host-b")), lines.toString());
    }
}
