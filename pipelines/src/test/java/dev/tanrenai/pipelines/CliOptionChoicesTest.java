package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every option and parameter of every command that takes one of a fixed set of values lists the
 * set in its help: enum-typed ones, and those whose description asks for
 * {@code ${COMPLETION-CANDIDATES}} (which picocli renders as an empty list when the option holds
 * plain strings and names no candidates, as {@code run train --targets} once did).
 */
class CliOptionChoicesTest {

    @Test
    void everyOptionWithAFixedSetOfValuesListsItsChoices() {
        CommandLine cli = PipelineCli.commandLine(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        int[] withChoices = {0};
        int[] all = {0};
        walk(cli, problems, withChoices, all);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(all[0] > 100, "walked every command's options: " + all[0]);
        assertTrue(withChoices[0] >= 1, "at least --targets has choices: " + withChoices[0]);
    }

    @Test
    void runTrainHelpListsTheTargets() {
        CliRun help = CliRun.ok("run", "train", "--help");
        assertTrue(
                Pattern.compile("Adapted projections: q, k, v, o, gate, up, down\\b")
                        .matcher(help.out())
                        .find(),
                help.out());
    }

    @Test
    void anUnknownTargetIsRefusedNamingTheChoices() {
        CliRun r = CliRun.run("run", "train", "--base", "x.gguf", "--conversations", "x.jsonl", "--targets", "q,w");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown LoRA target 'w' (expected q, k, v, o, gate, up, down)"), r.err());
    }

    private static void walk(CommandLine cli, List<String> problems, int[] withChoices, int[] all) {
        CommandSpec spec = cli.getCommandSpec();
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec arg : args) {
            all[0]++;
            String where = spec.qualifiedName() + " " + label(arg);
            String rendered = String.join(" ", arg.description());
            List<String> candidates = new ArrayList<>();
            if (arg.completionCandidates() != null) {
                arg.completionCandidates().forEach(candidates::add);
            }
            boolean enumTyped = isEnum(arg.type());
            for (Class<?> aux : arg.auxiliaryTypes()) {
                enumTyped |= isEnum(aux);
            }
            boolean asksForCandidates = rawDescription(arg).contains("${COMPLETION-CANDIDATES}");
            if ((enumTyped || asksForCandidates) && candidates.isEmpty()) {
                problems.add(where + ": takes a fixed set of values but names none; help says: " + rendered);
                continue;
            }
            if (enumTyped || asksForCandidates) {
                withChoices[0]++;
                for (String c : candidates) {
                    if (!Pattern.compile("(^|[^\\w])" + Pattern.quote(c) + "($|[^\\w])")
                            .matcher(rendered)
                            .find()) {
                        problems.add(where + ": help does not list the choice '" + c + "': " + rendered);
                    }
                }
            }
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            walk(sub, problems, withChoices, all);
        }
    }

    private static boolean isEnum(Class<?> type) {
        return type != null && type.isEnum();
    }

    /** The description as written in the annotation, before picocli expands its variables. */
    private static String rawDescription(ArgSpec arg) {
        if (arg.userObject() instanceof AnnotatedElement element) {
            Option option = element.getAnnotation(Option.class);
            if (option != null) {
                return String.join(" ", option.description());
            }
            Parameters parameters = element.getAnnotation(Parameters.class);
            if (parameters != null) {
                return String.join(" ", parameters.description());
            }
        }
        return "";
    }

    private static String label(ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
    }
}
