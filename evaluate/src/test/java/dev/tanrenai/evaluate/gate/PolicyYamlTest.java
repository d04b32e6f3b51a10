package dev.tanrenai.evaluate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyYamlTest {

    @Test
    void theDocumentedDefaultsParseBackToTheDefaults() {
        String yaml = PolicyYaml.documented();
        Policy parsed = PolicyYaml.parse(yaml, "documented.yaml", "0".repeat(64));
        assertEquals(Policy.defaults().values(), parsed.values());
        for (PolicySetting s : PolicySetting.values()) {
            String leaf = s.key().substring(s.key().lastIndexOf('.') + 1);
            assertTrue(yaml.contains(leaf + ": "), s.key());
        }
    }

    @Test
    void aFileOverridesOnlyWhatItNames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                version: 1
                heldout:
                  min_improvement: 0.01
                retention:
                  max_kl_mean: 0.5
                required_suites: [heldout, replay, general]
                probes:
                  must_pass: false
                """);
        Policy p = PolicyYaml.read(file);
        assertEquals(0.01, p.heldoutMinImprovement());
        assertEquals(0.5, p.retentionMaxKlMean());
        assertEquals(List.of("heldout", "replay", "general"), p.requiredSuites());
        assertEquals(false, p.probesMustPass());
        assertEquals(0.02, p.retentionMaxBitsPerByteIncrease());
        assertEquals(10_000, p.resamples());
        assertEquals(file.toString(), p.source());
        assertEquals(64, p.sha256().length());
    }

    @Test
    void anUnknownKeyNamesTheFileTheLineAndTheKey() {
        var e = assertThrows(
                PolicyException.class,
                () -> PolicyYaml.parse("version: 1\nheldout:\n  min_improvment: 0.1\n", "p.yaml", "x"));
        assertTrue(
                e.getMessage().startsWith("p.yaml: line 3: heldout.min_improvment: unknown setting"), e.getMessage());
        var section = assertThrows(
                PolicyException.class, () -> PolicyYaml.parse("version: 1\ngate:\n  x: 1\n", "p.yaml", "x"));
        assertTrue(section.getMessage().contains("line 2: gate: unknown section"), section.getMessage());
    }

    @Test
    void aWrongTypeNamesWhatWasExpected() {
        var e = assertThrows(
                PolicyException.class,
                () -> PolicyYaml.parse("version: 1\nbootstrap:\n  resamples: many\n", "p.yaml", "x"));
        assertEquals("p.yaml: line 3: bootstrap.resamples: expected an integer, got 'many'", e.getMessage());
        var b = assertThrows(
                PolicyException.class, () -> PolicyYaml.parse("version: 1\nprobes:\n  must_pass: 3\n", "p.yaml", "x"));
        assertTrue(b.getMessage().contains("expected true or false"), b.getMessage());
    }

    @Test
    void outOfRangeValuesMissingVersionAndMalformedYamlAreErrors() {
        var range = assertThrows(
                PolicyException.class, () -> PolicyYaml.parse("version: 1\nconfidence: 1.5\n", "p.yaml", "x"));
        assertTrue(range.getMessage().contains("confidence must be in [0.5, 1)"), range.getMessage());
        var negative = assertThrows(
                PolicyException.class, () -> PolicyYaml.parse("version: 1\ntasks:\n  max_loss: -1\n", "p.yaml", "x"));
        assertTrue(negative.getMessage().contains("tasks.max_loss must be a finite number >= 0"));
        var version = assertThrows(PolicyException.class, () -> PolicyYaml.parse("confidence: 0.9\n", "p.yaml", "x"));
        assertTrue(version.getMessage().contains("missing 'version: 1'"));
        var malformed =
                assertThrows(PolicyException.class, () -> PolicyYaml.parse("version: 1\nheldout: [a\n", "p.yaml", "x"));
        assertTrue(malformed.getMessage().startsWith("p.yaml: line "), malformed.getMessage());
        var missing = assertThrows(PolicyException.class, () -> PolicyYaml.read(Path.of("/nonexistent/p.yaml")));
        assertTrue(missing.getMessage().contains("does not exist"));
    }
}
