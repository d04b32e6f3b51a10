package dev.tanrenai.pipelines.datasets;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline datasets snapshot}: the store's conversations as an Arrow snapshot. */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = {
            "Write the store's conversations (as of now, or those changed after --since) to a versioned Arrow",
            "snapshot with a manifest and provenance. No validation or curation: that is the extract/curate stages' job."
        })
public final class SnapshotStoreCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--name", paramLabel = "DATASET", description = "Dataset name (default: ${DEFAULT-VALUE}).")
    String dataset = "conversations";

    @Option(
            names = "--since",
            paramLabel = "WATERMARK",
            description = "Only conversations changed after this store sequence number (default: 0, all).")
    long since;

    @Override
    public Integer call() throws IOException {
        TanrenaiConfig config = common.config();
        StoreSnapshots.Result result = StoreSnapshots.snapshot(
                Stores.conversations(config), config.home().datasetsDir(), dataset, since);
        DatasetSnapshot snapshot = result.snapshot();
        Output out = common.output();
        if (result.quarantined() > 0) {
            out.line("quarantined " + result.quarantined() + " stored conversation(s) with implausible times (see "
                    + result.quarantine() + ")");
        }
        out.line("snapshot " + snapshot.id() + " of dataset " + dataset + ": " + snapshot.rowCount()
                + " conversations up to store sequence "
                + snapshot.manifest().provenance().inputs().get(0).watermark());
        out.line("  " + snapshot.dir());
        out.result(snapshot.manifest());
        return 0;
    }
}
