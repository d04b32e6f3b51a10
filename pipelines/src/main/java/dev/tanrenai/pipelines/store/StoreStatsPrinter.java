package dev.tanrenai.pipelines.store;

import dev.tanrenai.datasets.store.StoreStats;
import dev.tanrenai.pipelines.cli.Output;
import java.util.Locale;

/** Renders {@link StoreStats} as the lines {@code store stats} and {@code demo} print. */
public final class StoreStatsPrinter {
    private StoreStatsPrinter() {}

    public static void print(StoreStats s, Output out) {
        out.line(String.format(
                Locale.ROOT,
                "  conversations %d, messages %d, feedback %d, last sequence %d, schema v%d%s",
                s.conversations(),
                s.messages(),
                s.feedback(),
                s.lastSequence(),
                s.schemaVersion(),
                s.databaseBytes() >= 0
                        ? String.format(Locale.ROOT, ", %.1f KiB on disk", s.databaseBytes() / 1024.0)
                        : ""));
        StringBuilder roles = new StringBuilder("  messages by role:");
        s.messagesByRole()
                .forEach((role, n) -> roles.append(' ').append(role).append(' ').append(n));
        out.line(roles.toString());
        out.line("  conversations by source:");
        s.conversationsBySource()
                .forEach((source, n) -> out.line(String.format(Locale.ROOT, "    %-40s %d", source, n)));
    }
}
