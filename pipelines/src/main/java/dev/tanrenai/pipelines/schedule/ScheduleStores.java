package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.schedules.FireRecord;
import dev.tanrenai.schedules.JobStoreDatabase;
import dev.tanrenai.schedules.ScheduleInfo;
import dev.tanrenai.schedules.SchedulerSettings;
import dev.tanrenai.schedules.Schedules;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opens a home's schedules and renders them for output. */
final class ScheduleStores {
    private ScheduleStores() {}

    static Schedules open(TanrenaiConfig config) {
        config.home().initialize();
        return Schedules.open(JobStoreDatabase.forStore(config.home(), config.storeUrl()), SchedulerSettings.DEFAULTS);
    }

    static Map<String, Object> json(ScheduleInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.spec().name());
        m.put("cron", i.spec().cron());
        m.put("zone", i.spec().zone().getId());
        m.put("misfire", i.spec().misfire().wireName());
        m.put("state", i.state());
        m.put("nextFires", i.nextFires().stream().map(Instant::toString).toList());
        m.put("lastFire", i.lastFire() == null ? null : json(i.lastFire()));
        return m;
    }

    static Map<String, Object> json(FireRecord f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("schedule", f.schedule());
        m.put("scheduledAt", f.scheduledAt().toString());
        m.put("startedAt", f.startedAt() == null ? null : f.startedAt().toString());
        m.put("outcome", f.outcome().name().toLowerCase(java.util.Locale.ROOT));
        m.put("exitCode", f.exitCode());
        m.put("durationMillis", f.duration() == null ? null : f.duration().toMillis());
        m.put("log", f.logPath() == null ? null : f.logPath().toString());
        m.put("misfired", f.misfired());
        m.put("detail", f.detail());
        return m;
    }

    static String line(FireRecord f) {
        return f.scheduledAt() + "  " + f.outcome().name().toLowerCase(java.util.Locale.ROOT)
                + (f.misfired() ? " (misfired)" : "")
                + (f.startedAt() == null ? "" : "  started " + f.startedAt())
                + (f.exitCode() == null ? "" : "  exit " + f.exitCode())
                + (f.duration() == null ? "" : "  " + f.duration().toMillis() + " ms")
                + (f.logPath() == null ? "" : "  log " + f.logPath())
                + (f.detail().isEmpty() ? "" : "\n    " + f.detail());
    }
}
