package dev.tanrenai.evaluate.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeFileTest {

    private static final String VALID = """
            version: 1
            defaults:
              max_tokens: 32
              ignore_case: true
            probes:
              - id: capital_fr
                prompt: "What is the capital of France?"
                expect: {contains: Paris}
                must_pass: true
                description: the capital fact stays learned
              - id: chat.greeting-2
                messages:
                  - {role: system, content: You are terse.}
                  - {role: user, content: Hi}
                  - {role: assistant, content: Hello.}
                  - {role: user, content: Name a colour}
                expect:
                  regex: ["\\\\bred\\\\b", "blue"]
                  ignore_case: false
                max_tokens: 8
              - id: exact_one
                prompt: one
                expect: {exact: "1"}
            """;

    @Test
    void parsesAValidFileWithDefaultsAndOverrides() throws Exception {
        ProbeFile f = ProbeFile.parse(VALID, "probes.yaml");
        assertEquals(1, f.version());
        assertEquals("probes.yaml", f.source());
        assertEquals(3, f.probes().size());

        Probe p0 = f.probes().get(0);
        assertEquals("capital_fr", p0.id());
        assertEquals(List.of(Message.user("What is the capital of France?")), p0.messages());
        assertEquals(Probe.Kind.CONTAINS, p0.expect().kind());
        assertEquals(List.of("Paris"), p0.expect().anyOf());
        assertTrue(p0.expect().ignoreCase(), "ignore_case from defaults");
        assertTrue(p0.mustPass());
        assertEquals(32, p0.maxTokens(), "max_tokens from defaults");
        assertEquals("the capital fact stays learned", p0.description());

        Probe p1 = f.probes().get(1);
        assertEquals(
                List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER),
                p1.messages().stream().map(Message::role).toList());
        assertEquals("Name a colour", p1.prompt());
        assertEquals(Probe.Kind.REGEX, p1.expect().kind());
        assertEquals(List.of("\\bred\\b", "blue"), p1.expect().anyOf());
        assertFalse(p1.expect().ignoreCase(), "the probe's ignore_case overrides the default");
        assertFalse(p1.mustPass(), "must_pass defaults to false");
        assertEquals(8, p1.maxTokens());
        assertEquals("", p1.description());

        assertEquals(Probe.Kind.EXACT, f.probes().get(2).expect().kind());
        assertEquals(List.of("1"), f.probes().get(2).expect().anyOf());
    }

    @Test
    void withoutDefaultsMaxTokensIs64AndCaseMatters() throws Exception {
        ProbeFile f = ProbeFile.parse("version: 1\nprobes:\n  - {id: a, prompt: x, expect: {exact: y}}\n", "p.yaml");
        assertEquals(64, f.probes().get(0).maxTokens());
        assertFalse(f.probes().get(0).expect().ignoreCase());
    }

    @Test
    void readHashesTheFileBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("probes.yaml");
        Files.writeString(file, VALID, StandardCharsets.UTF_8);
        ProbeFile f = ProbeFile.read(file);
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(expected, f.sha256());
        assertEquals(file.toString(), f.source());
        assertNotEquals(expected, ProbeFile.parse(VALID + "# changed\n", "x").sha256());
    }

    @Test
    void readRejectsBytesThatAreNotUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.write(file, new byte[] {'v', ':', ' ', (byte) 0xC3, (byte) 0x28});
        ProbeFileException e = assertThrows(ProbeFileException.class, () -> ProbeFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":0: (file): not UTF-8"), e.getMessage());
    }

    @Test
    void theDocumentedExampleFileIsValid() throws Exception {
        // the module directory is the tests' working directory
        ProbeFile f = ProbeFile.read(Path.of("probes.example.yaml"));
        assertEquals(
                List.of(
                        "story.dialogue",
                        "story.opens-with-a-quote",
                        "story.names-a-character",
                        "story.with-a-system-prompt",
                        "story.multi-turn"),
                f.probes().stream().map(Probe::id).toList());
        assertEquals(2, f.probes().stream().filter(Probe::mustPass).count());
        assertTrue(f.probes().stream().allMatch(p -> p.maxTokens() == 48));
        assertEquals(
                Role.SYSTEM,
                f.probes().get(3).messages().get(0).role(),
                "the system-prompt probe keeps its system turn");
    }

    /** Each broken file, the line and the field the error must name, and a word of its reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top field     | version: 1\\nprobes:\\n  - {id: a, prompt: x, expect: {exact: y}}\\nextra: 1 | 4 | extra | unknown field
            missing version       | probes:\\n  - {id: a, prompt: x, expect: {exact: y}} | 1 | version | required
            version a string      | version: "1"\\nprobes:\\n  - {id: a, prompt: x, expect: {exact: y}} | 1 | version | whole number
            unsupported version   | version: 2\\nprobes:\\n  - {id: a, prompt: x, expect: {exact: y}} | 1 | version | not supported
            empty probe list      | version: 1\\nprobes: [] | 2 | probes | non-empty list
            unknown defaults key  | version: 1\\ndefaults:\\n  temperature: 0\\nprobes:\\n  - {id: a, prompt: x, expect: {exact: y}} | 3 | defaults.temperature | unknown field
            bad id                | version: 1\\nprobes:\\n  - id: Capital\\n    prompt: x\\n    expect: {exact: y} | 3 | probes[0].id | lower-case
            id a number           | version: 1\\nprobes:\\n  - id: 7\\n    prompt: x\\n    expect: {exact: y} | 3 | probes[0].id | expected a string
            duplicate id          | version: 1\\nprobes:\\n  - {id: a, prompt: x, expect: {exact: y}}\\n  - {id: a, prompt: z, expect: {exact: y}} | 4 | probes[1].id | first at line 3
            duplicate key         | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    prompt: z\\n    expect: {exact: y} | 5 | probes[0].prompt | repeated key
            unknown probe field   | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect: {exact: y}\\n    temprature: 0 | 6 | probes[0].temprature | unknown field
            ignore_case misplaced | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    ignore_case: true\\n    expect: {exact: y} | 5 | probes[0].ignore_case | belongs under expect
            prompt and messages   | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    messages: [{role: user, content: x}]\\n    expect: {exact: y} | 5 | probes[0].messages | both
            neither prompt        | version: 1\\nprobes:\\n  - id: a\\n    expect: {exact: y} | 3 | probes[0].prompt/messages | exactly one
            prompt a list         | version: 1\\nprobes:\\n  - id: a\\n    prompt: [x]\\n    expect: {exact: y} | 4 | probes[0].prompt | expected a string
            bad role              | version: 1\\nprobes:\\n  - id: a\\n    messages:\\n      - {role: user, content: x}\\n      - {role: tool, content: x}\\n    expect: {exact: y} | 6 | probes[0].messages[1].role | not one of
            last not user         | version: 1\\nprobes:\\n  - id: a\\n    messages:\\n      - {role: user, content: x}\\n      - {role: assistant, content: x}\\n    expect: {exact: y} | 6 | probes[0].messages[1].role | last message
            message extra field   | version: 1\\nprobes:\\n  - id: a\\n    messages:\\n      - {role: user, content: x, name: bob}\\n    expect: {exact: y} | 5 | probes[0].messages[0].name | unknown field
            missing expect        | version: 1\\nprobes:\\n  - id: a\\n    prompt: x | 3 | probes[0].expect | required
            two expectations      | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      exact: y\\n      contains: z | 7 | probes[0].expect.contains | exactly one
            no expectation        | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      ignore_case: true | 6 | probes[0].expect.exact/contains/regex | exactly one
            bad regex             | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      regex: "a(b" | 6 | probes[0].expect.regex | invalid regex
            bad regex in list     | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      regex:\\n        - ok\\n        - "[z" | 8 | probes[0].expect.regex[1] | invalid regex
            empty contains        | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      contains: "  " | 6 | probes[0].expect.contains | never fail
            expect a number       | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      exact: 4 | 6 | probes[0].expect.exact | quote it
            ignore_case not bool  | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect:\\n      exact: y\\n      ignore_case: "yes" | 7 | probes[0].expect.ignore_case | true or false
            must_pass not bool    | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect: {exact: y}\\n    must_pass: 1 | 6 | probes[0].must_pass | true or false
            max_tokens zero       | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect: {exact: y}\\n    max_tokens: 0 | 6 | probes[0].max_tokens | 1..4096
            max_tokens float      | version: 1\\nprobes:\\n  - id: a\\n    prompt: x\\n    expect: {exact: y}\\n    max_tokens: 1.5 | 6 | probes[0].max_tokens | whole number
            probe not a mapping   | version: 1\\nprobes:\\n  - just text | 3 | probes[0] | expected a mapping
            malformed yaml        | version: 1\\nprobes:\\n  - id: a\\n    prompt: "x\\n    expect: {exact: y} | 4 | (yaml) | malformed YAML
            two documents         | version: 1\\nprobes:\\n  - {id: a, prompt: x, expect: {exact: y}}\\n---\\nversion: 1 | 5 | (file) | second YAML document
            empty file            | '' | 1 | (file) | empty
            """)
    void eachErrorNamesFileLineAndField(String name, String yaml, int line, String field, String reason) {
        String text = yaml.replace("\\n", "\n");
        ProbeFileException e = assertThrows(ProbeFileException.class, () -> ProbeFile.parse(text, "team.yaml"));
        assertEquals("team.yaml", e.source(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("team.yaml:" + line + ": " + field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), name + ": " + e.getMessage());
    }
}
