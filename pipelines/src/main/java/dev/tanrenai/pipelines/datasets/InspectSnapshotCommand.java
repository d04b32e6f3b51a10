package dev.tanrenai.pipelines.datasets;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.CloseableIterator;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline datasets inspect SNAPSHOT}: a snapshot's manifest, verified, and its first rows. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Verify a snapshot (every part's SHA-256) and show its manifest and first rows.")
public final class InspectSnapshotCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(
            index = "0",
            paramLabel = "SNAPSHOT",
            description = "A snapshot directory, or DATASET/ID, or DATASET (its latest).")
    String reference;

    @Option(names = "--rows", paramLabel = "N", description = "How many rows to show (default: ${DEFAULT-VALUE}).")
    int rows = 3;

    @Override
    public Integer call() throws IOException {
        DatasetSnapshot snapshot = open();
        Output out = common.output();
        out.line(snapshot.manifest().toJson().stripTrailing());
        try (CloseableIterator<Conversation> it = snapshot.read()) {
            for (int i = 0; i < rows && it.hasNext(); i++) {
                Conversation c = it.next();
                out.line(
                        "-- " + c.id() + " (" + c.source() + ", " + c.messages().size() + " messages)");
                c.messages().forEach(m -> out.line("   " + m.role().wireName() + ": " + abbreviate(m.content())));
            }
        }
        out.result(snapshot.manifest());
        return 0;
    }

    private DatasetSnapshot open() throws IOException {
        return SnapshotReference.open(reference, common.config().home().datasetsDir());
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() <= 100 ? one : one.substring(0, 97) + "...";
    }
}
