package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.it.DocReferences.Problem;
import dev.parley.it.DocReferences.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs check: no link and no cited repository path in the project's Markdown leads nowhere
 * ({@link DocReferences}), and the check itself bites, on small docs written for the purpose.
 */
class DocsTest {

    /** The repository: surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyLinkAndEveryCitedPathInTheDocsExists() throws IOException {
        assertTrue(Files.isRegularFile(ROOT.resolve(".ci/run")), ROOT + " is not the repository's root");
        List<Path> files = DocReferences.markdownFiles(ROOT);
        assertTrue(files.containsAll(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"),
                ROOT.resolve("docs/PROTOCOL.md"))), "the Markdown files found: " + files);

        DocReferences docs = new DocReferences(ROOT);
        List<Problem> problems = new ArrayList<>();
        int links = 0;
        int paths = 0;
        for (Path file : files) {
            Report report = docs.check(file);
            problems.addAll(report.problems());
            links += report.links();
            paths += report.paths();
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " references in the docs lead nowhere:\n"
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        assertTrue(links >= 50 && paths >= 50,
                "so few references checked in " + files.size() + " files (" + links + " links, " + paths
                        + " paths) that the check has probably stopped seeing them");
    }

    @Test
    void eachReferenceThatLeadsNowhereIsReportedWithItsFileAndLine(@TempDir Path root) throws IOException {
        write(root, "bench/perf/targets.sh", "");
        write(root, "docs/GUIDE.md", "# Guide\n\n## Two `words`\n");
        Path readme = write(root, "README.md", """
                # Title
                [guide](docs/GUIDE.md#two-words) and [gone](docs/GONE.md)
                [an anchor](docs/GUIDE.md#three-words), [here](#title), [not here](#nowhere)
                `bench/perf/targets.sh` is there, `bench/perf/EchoFloor.java` is not
                ```sh
                bench/perf/targets.sh && bench/perf/floor.c --fast
                ```
                <img src="docs/missing.png" alt="">

                [outside](../../etc/passwd), and in prose: see bench/perf/gone.sh.
                """);

        Report report = new DocReferences(root).check(readme);

        assertEquals(List.of(
                "README.md:2: the link docs/GONE.md leads to docs/GONE.md, which does not exist",
                "README.md:3: the link docs/GUIDE.md#three-words: docs/GUIDE.md has no heading #three-words",
                "README.md:3: the link #nowhere: README.md has no heading #nowhere",
                "README.md:4: bench/perf/EchoFloor.java does not exist",
                "README.md:6: bench/perf/floor.c does not exist",
                "README.md:8: the link docs/missing.png leads to docs/missing.png, which does not exist",
                "README.md:10: the link ../../etc/passwd leads outside the repository",
                "README.md:10: bench/perf/gone.sh does not exist"),
                report.problems().stream().map(Problem::toString).toList());
    }

    @Test
    void urlsBuildOutputAndPathsOutsideTheRepositoryAreNotCheckedAndAnElisionMatchesAnyDepth(@TempDir Path root)
            throws IOException {
        write(root, "app/src/main/java/dev/parley/app/trust/SecureFiles.java", "");
        Path doc = write(root, "docs/USING.md", """
                See [the site](https://example.org/docs/GONE.md), <mailto:a@example.org> and
                `app/target/parley/bin/parley`, `~/.config/app/known_servers`, `$HOME/app/x`,
                `/etc/app/x`, `dev.parley.app.trust` and and/or in prose.
                `app/.../SecureFiles.java` and [the rule](../app/src/main/java/dev/parley/app/trust/SecureFiles.java).
                `app/.../Missing.java`
                """);

        Report report = new DocReferences(root).check(doc);

        assertEquals(List.of("docs/USING.md:5: app/.../Missing.java does not exist"),
                report.problems().stream().map(Problem::toString).toList());
        assertEquals(1, report.links(), "links checked: the relative one only");
        assertEquals(2, report.paths(), "paths checked: the two elided ones only");
    }

    private static Path write(Path root, String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
