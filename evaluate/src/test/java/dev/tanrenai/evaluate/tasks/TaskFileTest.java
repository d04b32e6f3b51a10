package dev.tanrenai.evaluate.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task files: errors name file, line and field; templates render real documents as lm-eval does. */
class TaskFileTest {

    @TempDir
    Path dir;

    private static final String DATA = "{\"q\": \"Is it?\", \"opts\": [\"yes\", \"no\"], \"gold\": 1}\n";

    private TaskFileException failure(String yaml) throws Exception {
        Files.writeString(dir.resolve("d.jsonl"), DATA);
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, yaml);
        return assertThrows(TaskFileException.class, () -> TaskFile.read(file));
    }

    private static final String HEAD = "task: t\ndataset_path: d.jsonl\noutput_type: multiple_choice\n";

    private void assertNames(TaskFileException e, int line, String field, String... words) {
        assertTrue(e.file().endsWith("t.yaml"), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("t.yaml:" + line), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void unknownAndMistypedFieldsNameFileLineAndField() throws Exception {
        String ok = "doc_to_text: '{{q}}'\ndoc_to_target: gold\ndoc_to_choice: opts\n";
        assertNames(failure(HEAD + ok + "num_fewshots: 2\n"), 7, "num_fewshots", "unknown field", "num_fewshot");
        assertNames(failure(HEAD + ok + "num_fewshot: two\n"), 7, "num_fewshot", "non-negative integer");
        assertNames(failure(HEAD + ok + "target_delimiter: [1]\n"), 7, "target_delimiter", "must be a string");
        assertNames(
                failure(HEAD + ok + "metric_list:\n  - metric: acc\n    ignore_kase: true\n"),
                9,
                "metric_list[0].ignore_kase",
                "unknown field");
        assertNames(
                failure(HEAD + ok + "metric_list:\n  - metric: acc\n    higher_is_better: false\n"),
                9,
                "metric_list[0].higher_is_better",
                "higher is better");
        assertNames(failure(HEAD + ok + "metadata:\n  version: 1.5\n"), 8, "metadata.version", "whole number");
        assertNames(failure(HEAD + ok + "metadata:\n  versoin: 1\n"), 8, "metadata.versoin", "unknown");
    }

    @Test
    void unsupportedOutputTypesMetricsAndSyntaxListWhatIsSupported() throws Exception {
        assertNames(
                failure("task: t\ndataset_path: d.jsonl\noutput_type: multiple_choices\n"),
                3,
                "output_type",
                "multiple_choice, loglikelihood, loglikelihood_rolling, generate_until");
        assertNames(
                failure(HEAD + "doc_to_text: q\ndoc_to_target: gold\ndoc_to_choice: opts\nmetric_list:\n"
                        + "  - metric: exact_match\n"),
                8,
                "metric_list[0].metric",
                "acc, acc_norm, acc_bytes");
        assertNames(
                failure(HEAD + "doc_to_text: \"{% if q %}{{q}}{% endif %}\"\ndoc_to_target: gold\n"),
                4,
                "doc_to_text",
                "statements");
        assertNames(
                failure(HEAD + "doc_to_text: \"{{q | title}}\"\ndoc_to_target: gold\n"),
                4,
                "doc_to_text",
                "unsupported filter 'title'",
                "trim, lower, upper, replace, join");
        assertNames(
                failure(HEAD + "doc_to_text: \"{{q if q else 'x'}}\"\ndoc_to_target: gold\n"),
                4,
                "doc_to_text",
                "unsupported Jinja operator 'if'");
    }

    @Test
    void malformedYamlAndJsonlNameTheLine() throws Exception {
        TaskFileException yaml = failure(HEAD + "doc_to_text: \"{{q}}\n  : : [\n");
        assertEquals(4, yaml.line(), yaml.getMessage());
        assertTrue(yaml.getMessage().contains("malformed YAML"), yaml.getMessage());

        Files.writeString(dir.resolve("bad.jsonl"), DATA + "\n{\"q\": \"x\", }\n");
        Path file = dir.resolve("t.yaml");
        Files.writeString(
                file,
                "task: t\ndataset_path: bad.jsonl\noutput_type: multiple_choice\ndoc_to_text: q\n"
                        + "doc_to_target: gold\ndoc_to_choice: opts\n");
        TaskFileException jsonl = assertThrows(TaskFileException.class, () -> TaskFile.read(file));
        assertEquals("bad.jsonl", jsonl.file());
        assertEquals(3, jsonl.line(), "the blank line 2 counts");
        assertTrue(jsonl.getMessage().contains("malformed JSON"), jsonl.getMessage());

        TaskFileException dup = failure(HEAD + "task: u\n");
        assertNames(dup, 4, "task", "appears twice");

        TaskFileException missing = failure(
                "task: t\ndataset_path: none.jsonl\noutput_type: loglikelihood\ndoc_to_text: q\ndoc_to_target: q\n");
        assertNames(missing, 2, null, "does not exist");
    }

    @Test
    void aTemplateThatCannotRenderADocumentNamesTheDocument() throws Exception {
        Files.writeString(dir.resolve("d.jsonl"), DATA);
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, HEAD + "doc_to_text: \"{{question}}\"\ndoc_to_target: gold\ndoc_to_choice: opts\n");
        TaskConfig c = TaskFile.read(file);
        TaskFileException e = assertThrows(
                TaskFileException.class, () -> FewShot.context(c, c.docs().get(0), 0, 1));
        assertEquals(4, e.line());
        assertEquals("doc_to_text", e.field());
        assertTrue(
                e.getMessage().contains("document 0") && e.getMessage().contains("no field 'question'"),
                e.getMessage());
    }

    @Test
    void bundledTasksRenderRealDocumentsAsLmEvalDoes() throws Exception {
        TaskConfig arc = BundledTasks.load("arc_easy", dir);
        assertEquals(50, arc.docs().size());
        assertEquals(1, arc.version());
        Map<String, Object> a0 = arc.docs().get(0);
        assertEquals(
                "Question: Which statement best explains why photosynthesis is the foundation of most food webs?\n"
                        + "Answer:",
                FewShot.context(arc, a0, 0, TaskSuite.DEFAULT_SEED));
        assertEquals(
                List.of(
                        "Sunlight is the source of energy for nearly all ecosystems.",
                        "Most ecosystems are found on land instead of in water.",
                        "Carbon dioxide is more available than other gases.",
                        "The producers in all ecosystems are plants."),
                arc.docToChoice().of(a0, 0));
        assertEquals(0L, arc.docToTarget().evaluate(a0, 0), "answerKey A is index 0 of the labels");

        TaskConfig piqa = BundledTasks.load("piqa", dir);
        Map<String, Object> p0 = piqa.docs().get(0);
        assertEquals(
                "Question: How do I ready a guinea pig cage for it's new occupants?\nAnswer:",
                piqa.docToText().text(p0, 0));
        assertEquals(2, piqa.docToChoice().of(p0, 0).size());
        assertTrue(piqa.docToChoice().of(p0, 0).get(1).contains("ripped jeans material"));
        assertEquals(0L, piqa.docToTarget().evaluate(p0, 0), "a bare field name selects the field");

        TaskConfig lambada = BundledTasks.load("lambada", dir);
        Map<String, Object> l0 = lambada.docs().get(0);
        assertTrue(
                lambada.docToText().text(l0, 0).endsWith("his mouth curved in a confident grin, I don't care about"));
        assertEquals(" signs", FewShot.targetText(lambada, l0, 0));
        assertNull(lambada.docToChoice());

        TaskConfig hs = BundledTasks.load("hellaswag", dir);
        Map<String, Object> h0 = hs.docs().get(0);
        assertEquals(
                "Roof shingle removal: A man is sitting on a roof. He",
                hs.docToText().text(h0, 0));
        assertEquals(
                "starts pulling up roofing on a roof.", FewShot.targetText(hs, h0, 0), "label '3' selects choice 3");
    }

    @Test
    void templateExpressionsFollowJinja() {
        Map<String, Object> doc =
                Map.of("a", " Mixed Case ", "n", 3L, "l", List.of("x", "y", "z"), "m", Map.of("k", "v"));
        assertEquals("mixed case|MIXED CASE", render("{{a|trim|lower}}|{{a.strip().upper()}}", doc));
        assertEquals("v-y-z-3", render("{{m.k ~ '-' ~ l[1:]|join('-') ~ '-' ~ n}}", doc));
        assertEquals("z", render("{{l[-1]}}", doc));
        assertEquals(5L, Template.parse("{{n + 2}}", "f", 1, "x").evaluate(doc, 0));
        assertEquals(
                List.of("y", " Mixed Case "),
                Template.parse("{{[l[1], a]}}", "f", 1, "x").evaluate(doc, 0));
        assertEquals("Mixed_Case", render("{{a|trim|replace(' ', '_')}}", doc));
        assertEquals("literal text", render("literal text", doc), "not a field name: literal");
        assertEquals(List.of("", "a", "", "b"), TemplateExpression.split(" a  b", " "));
    }

    private static String render(String t, Map<String, Object> doc) {
        return Template.parse(t, "f", 1, "x").text(doc, 0);
    }
}
