package dev.tanrenai.pipelines.store;

import dev.tanrenai.datasets.store.StoreStats;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pipeline store stats}: what the conversation store holds. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show what the conversation store holds.")
public final class StoreStatsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        StoreStats stats = Stores.conversations(common.config()).stats();
        Output out = common.output();
        out.line("store " + common.config().storeUrl());
        StoreStatsPrinter.print(stats, out);
        out.result(stats);
        return 0;
    }
}
