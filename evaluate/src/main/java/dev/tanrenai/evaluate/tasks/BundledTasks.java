package dev.tanrenai.evaluate.tasks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The task files bundled with the module: ARC-Easy, PIQA, HellaSwag and LAMBADA (OpenAI), each over
 * the first 50 documents of the shared evaluation set, with its licence note. A task's files are
 * extracted from the classpath into a folder the caller chooses (a temporary or cache folder), since
 * task files name their data by a path relative to themselves; then {@link TaskFile#read} reads them.
 *
 * <p>Resource layout: {@code dev/tanrenai/evaluate/tasks/<name>/<name>.yaml}, {@code <name>.jsonl},
 * {@code LICENSE-NOTE.md}.
 */
public final class BundledTasks {

    /** The bundled task folders. */
    public static final List<String> NAMES = List.of("arc_easy", "piqa", "hellaswag", "lambada");

    private static final String ROOT = "/dev/tanrenai/evaluate/tasks/";
    private static final List<String> FILES = List.of("%s.yaml", "%s.jsonl", "LICENSE-NOTE.md");

    private BundledTasks() {}

    /** Copies the files of {@code name} into {@code dir/<name>/} and returns the task file. */
    public static Path extract(String name, Path dir) throws IOException {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no bundled task '" + name + "' (bundled: " + NAMES + ")");
        }
        Path target = Files.createDirectories(dir.resolve(name));
        for (String f : FILES) {
            String file = f.formatted(name);
            try (InputStream in = BundledTasks.class.getResourceAsStream(ROOT + name + "/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("bundled resource " + ROOT + name + "/" + file + " is missing");
                }
                Files.copy(in, target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target.resolve(name + ".yaml");
    }

    /** Extracts and reads the bundled task {@code name} (files under {@code dir}). */
    public static TaskConfig load(String name, Path dir) throws IOException {
        return TaskFile.read(extract(name, dir));
    }

    /** Extracts and reads every bundled task. */
    public static List<TaskConfig> loadAll(Path dir) {
        List<TaskConfig> out = new ArrayList<>();
        for (String n : NAMES) {
            try {
                out.add(load(n, dir));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract bundled task " + n + " to " + dir, e);
            }
        }
        return out;
    }
}
