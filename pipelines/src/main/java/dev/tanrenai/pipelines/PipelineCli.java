package dev.tanrenai.pipelines;

import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.pipelines.cli.TerminalText;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code pipeline} command line: the entry point of every Tanrenai job.
 *
 * <p>{@link #main} always ends with {@code System.exit}: java-llama.cpp leaves a non-daemon native
 * thread running after a model is closed, which would otherwise keep the JVM alive.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        versionProvider = PipelineCli.Version.class,
        description = "Tanrenai: make a local LLM better every night from the conversations it served.",
        footer = {
            "",
            "Start with: pipeline demo. Every command has --help; most have --json.",
            "Exit codes: 0 success, 1 the operation failed (the message says what and where), 2 bad usage,",
            "3 an evaluation refused the candidate (run evaluate --exit-code, run nightly), 4 run nightly: another",
            "run holds the lock, 5 run nightly: cancelled (README: The nightly loop)."
        })
public final class PipelineCli implements Runnable {

    /** Exit code of a run that failed on bad input or a failed operation. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see pipeline --help)");
    }

    public static void main(String[] args) {
        int code = execute(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new PipelineCli());
        Commands.register(cli);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            e.println(commandLine.getCommandName() + ": error: " + TerminalText.escape(describe(ex)));
            if (System.getenv("TANRENAI_DEBUG") != null) {
                ex.printStackTrace(e);
            } else {
                e.println("(set TANRENAI_DEBUG=1 for the stack trace)");
            }
            e.flush();
            return EXIT_FAILURE;
        });
        return cli;
    }

    /** The message of {@code t} followed by the distinct messages of its causes. */
    static String describe(Throwable t) {
        StringBuilder sb =
                new StringBuilder(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append("\n  caused by: ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** {@code pipeline --version}: the build's version and commit. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[] {
                "tanrenai " + b.describe(), "commit " + b.commit() + (b.dirty() ? " (dirty)" : ""),
            };
        }
    }
}
