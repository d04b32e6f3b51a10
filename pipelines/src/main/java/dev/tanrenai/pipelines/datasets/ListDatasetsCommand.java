package dev.tanrenai.pipelines.datasets;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pipeline datasets list}: datasets and their snapshots. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List datasets and their snapshots (verified).")
public final class ListDatasetsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        SnapshotCatalog catalog = new SnapshotCatalog(common.config().home().datasetsDir());
        Output out = common.output();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String dataset : catalog.datasets()) {
            Optional<String> latest = catalog.latestId(dataset);
            out.line(dataset);
            for (String id : catalog.snapshotIds(dataset)) {
                DatasetSnapshot s = catalog.open(dataset, id);
                boolean isLatest = latest.isPresent() && latest.get().equals(id);
                out.line("  " + id + "  " + s.rowCount() + " rows  parent "
                        + (s.manifest().provenance().parent() == null
                                ? "-"
                                : s.manifest().provenance().parent())
                        + (isLatest ? "  [latest]" : ""));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("dataset", dataset);
                row.put("snapshotId", id);
                row.put("rows", s.rowCount());
                row.put("latest", isLatest);
                row.put("dir", s.dir().toString());
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            out.line("no datasets in " + catalog.datasetsDir());
        }
        out.result(rows);
        return 0;
    }
}
