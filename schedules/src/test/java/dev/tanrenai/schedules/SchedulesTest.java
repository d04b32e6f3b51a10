package dev.tanrenai.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.home.TanrenaiHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules on the embedded job store (an H2 file in the home): add, list, pause, resume, remove, restart. */
class SchedulesTest {

    @TempDir
    Path dir;

    private JobStoreDatabase db() {
        TanrenaiHome home = new TanrenaiHome(dir);
        return JobStoreDatabase.forStore(home, home.defaultJdbcUrl());
    }

    @Test
    void schedulesAreKeptInTheHomeAndSurviveANewInstance() {
        try (Schedules s = Schedules.open(db(), SchedulerSettings.DEFAULTS)) {
            s.add(new ScheduleSpec("nightly", "0 0 3 * * ?", ZoneId.of("Europe/Berlin"), MisfirePolicy.SKIP));
            s.add(new ScheduleSpec("weekly", "0 30 1 ? * SUN", ZoneId.of("UTC"), MisfirePolicy.RUN_ONCE));
            s.pause("weekly");
        }
        assertTrue(Files.exists(dir.resolve("schedules").resolve("quartz.mv.db")), "the H2 file in the home");
        try (Schedules s = Schedules.open(db(), SchedulerSettings.DEFAULTS)) {
            List<ScheduleInfo> all = s.list();
            assertEquals(
                    List.of("nightly", "weekly"),
                    all.stream().map(i -> i.spec().name()).toList());
            ScheduleInfo nightly = all.get(0);
            assertEquals("0 0 3 * * ?", nightly.spec().cron());
            assertEquals(ZoneId.of("Europe/Berlin"), nightly.spec().zone());
            assertEquals(MisfirePolicy.SKIP, nightly.spec().misfire());
            assertEquals("active", nightly.state());
            assertEquals(3, nightly.nextFires().size());
            Instant first = nightly.nextFires().get(0);
            assertTrue(first.isAfter(Instant.now()), first.toString());
            assertEquals(3, first.atZone(ZoneId.of("Europe/Berlin")).getHour(), "03:00 Berlin time");
            assertEquals("paused", all.get(1).state());
            assertEquals(MisfirePolicy.RUN_ONCE, all.get(1).spec().misfire());

            s.resume("weekly");
            assertEquals("active", s.get("weekly").state());
            s.remove("weekly");
            assertEquals(
                    List.of("nightly"),
                    s.list().stream().map(i -> i.spec().name()).toList());
        }
        try (Schedules s = Schedules.open(db(), SchedulerSettings.DEFAULTS)) {
            assertEquals(
                    List.of("nightly"),
                    s.list().stream().map(i -> i.spec().name()).toList());
        }
    }

    @Test
    void badInputIsRefusedNamingWhatAndWhere() {
        ScheduleException cron = assertThrows(
                ScheduleException.class,
                () -> new ScheduleSpec("n", "0 0 25 * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
        assertTrue(cron.getMessage().contains("invalid cron expression '0 0 25 * * ?'"), cron.getMessage());
        ScheduleException zone = assertThrows(ScheduleException.class, () -> ScheduleSpec.zone("Europe/Berln"));
        assertTrue(zone.getMessage().contains("unknown time zone 'Europe/Berln'"), zone.getMessage());
        ScheduleException name = assertThrows(
                ScheduleException.class,
                () -> new ScheduleSpec("a b", "0 0 3 * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
        assertTrue(name.getMessage().contains("'a b'"), name.getMessage());
        ScheduleException policy = assertThrows(ScheduleException.class, () -> MisfirePolicy.parse("later"));
        assertTrue(policy.getMessage().contains("skip, run-once"), policy.getMessage());

        try (Schedules s = Schedules.open(db(), SchedulerSettings.DEFAULTS)) {
            s.add(new ScheduleSpec("n", "0 0 3 * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
            ScheduleException twice = assertThrows(
                    ScheduleException.class,
                    () -> s.add(new ScheduleSpec("n", "0 0 4 * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP)));
            assertTrue(twice.getMessage().contains("a schedule named n exists"), twice.getMessage());
            assertEquals("0 0 3 * * ?", s.get("n").spec().cron(), "the first one is kept");
            ScheduleException missing = assertThrows(ScheduleException.class, () -> s.pause("nope"));
            assertTrue(missing.getMessage().contains("no schedule named nope"), missing.getMessage());
        }
    }
}
