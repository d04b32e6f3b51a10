package dev.tanrenai.evaluate.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's policy table is the declaration: every setting with its default and its reason. */
class PolicyDocsTest {

    @Test
    void theReadmeListsEverySettingWithItsDefaultAndReason() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        for (PolicySetting s : PolicySetting.values()) {
            Object d = s.defaultValue();
            String shown = d instanceof List<?> l
                    ? l.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"))
                    : String.valueOf(d);
            String row = "| `" + s.key() + "` | `" + shown + "` | " + s.doc() + " |";
            assertTrue(text.contains(row), "README.md lacks the row\n" + row);
        }
    }
}
