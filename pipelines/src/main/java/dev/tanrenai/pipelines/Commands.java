package dev.tanrenai.pipelines;

import picocli.CommandLine;

/** Registers every subcommand of {@code pipeline}. */
final class Commands {
    private Commands() {}

    static void register(CommandLine root) {}
}
