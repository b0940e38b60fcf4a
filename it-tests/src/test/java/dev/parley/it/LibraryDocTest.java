package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver docs/LIBRARY.md shows is the examples' {@code BlockingServer}, line for line: every
 * line of the Java block under "A driver of your own" is a line of the file, in the same order
 * (lines written {@code // ...} stand for what the excerpt leaves out), so the docs cannot drift
 * from the code that BlockingServerIT runs against the real client.
 */
class LibraryDocTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theDriverInTheLibraryDocsIsTheExamplesOwn() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/LIBRARY.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## A driver of your own"));
        String excerpt = section.substring(section.indexOf("```java\n") + "```java\n".length(), section.indexOf("```\n", section.indexOf("```java\n") + 1));
        List<String> source = Files.readAllLines(ROOT.resolve("examples/src/main/java/dev/parley/examples/BlockingServer.java"))
                .stream().map(String::strip).toList();
        int at = 0;
        int shown = 0;
        for (String line : excerpt.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("// ...")).toList()) {
            int found = source.subList(at, source.size()).indexOf(line);
            if (found < 0) {
                fail("docs/LIBRARY.md shows a line that BlockingServer.java does not have (or not in this order): " + line);
            }
            at += found + 1;
            shown++;
        }
        assertTrue(shown >= 40, "only " + shown + " lines of the excerpt were compared");
    }
}
