package dev.tanrenai.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same extract pipeline on Apache Flink (embedded local cluster): teams that outgrow one machine
 * change a flag, not code. Flink writes the same snapshot content as the direct runner.
 */
class ExtractFlinkRunnersIT {

    @TempDir
    Path dir;

    @Test
    void flinkRunsTheSamePipelineToTheSameSnapshotContent() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        for (int i = 0; i < 20; i++) {
            store.append(ExtractJobTest.chat("c-" + i, Message.user("q" + i), Message.assistant("a" + i)));
        }
        store.append(ExtractJobTest.chat("bad", Message.user("unanswered")));
        ExtractJob.Result direct = ExtractJob.run(new ExtractJob.Request(
                home.defaultJdbcUrl(),
                home.datasetsDir(),
                "direct",
                List.of(),
                ValidationRules.defaults(),
                null,
                List.of(),
                dir.resolve("work")));
        ExtractJob.Result flink = ExtractJob.run(new ExtractJob.Request(
                home.defaultJdbcUrl(),
                home.datasetsDir(),
                "flink",
                List.of(),
                ValidationRules.defaults(),
                null,
                List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"),
                dir.resolve("work")));
        assertEquals(20, flink.snapshot().rowCount());
        assertEquals(
                1L,
                flink.counts().get("quarantined.no_assistant_turn"),
                flink.counts().toString());
        assertEquals(
                direct.snapshot().manifest().contentSha256(),
                flink.snapshot().manifest().contentSha256());
    }
}
