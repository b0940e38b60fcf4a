package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's public API against its baseline, core/api/parley-core.api: a change to a public
 * signature fails the build until the baseline is updated with it, so that every API change is
 * seen in review and versioned on purpose (semantic versioning, see the README).
 */
class PublicApiTest {

    /** The command that writes the baseline, given in every failure. */
    static final String UPDATE = "./mvnw -pl core test -Dtest=PublicApiTest -Dparley.api.update=true";

    private static final String HEADER = "# The public API of parley-core: every public or protected type and member of the packages\n"
            + "# that module dev.parley.core exports, as PublicApiTest lists it. A build whose API differs\n"
            + "# fails; when the change is meant, rewrite this file and commit it with the change:\n"
            + "#   " + UPDATE + "\n"
            + "\n";

    private static String listing;

    @BeforeAll
    static void list() throws IOException {
        Path classes = Path.of(System.getProperty("parley.api.classes", "target/classes"));
        listing = HEADER + ApiSignatures.of(classes, PublicApiTest.class.getClassLoader());
    }

    @Test
    void theApiIsTheBaseline() throws IOException {
        Path baseline = Path.of(System.getProperty("parley.api.file", "api/parley-core.api"));
        if (Boolean.getBoolean("parley.api.update")) {
            Files.createDirectories(baseline.getParent());
            Files.writeString(baseline, listing, StandardCharsets.UTF_8);
        }
        String expected = Files.exists(baseline) ? Files.readString(baseline, StandardCharsets.UTF_8) : "";
        if (!expected.equals(listing)) {
            fail(report(baseline, expected, listing)); // the diff alone: not both listings in full
        }
    }

    /** What a reviewer needs: the lines that changed, whether callers break, and how to acknowledge it. */
    static String report(Path baseline, String expected, String actual) {
        String diff = ApiSignatures.diff(expected, actual);
        long removed = diff.lines().filter(l -> l.startsWith("-")).count();
        long added = diff.lines().filter(l -> l.startsWith("+")).count();
        return "The core's public API differs from its baseline " + baseline + ":\n\n" + diff + "\n"
                + removed + " line(s) removed or changed: code compiled against the old API may break"
                + " (a major version; while the version is 0.x, a minor one).\n"
                + added + " line(s) added: compatible for callers (a minor version), unless it is an abstract"
                + " method in an interface that users implement.\n"
                + "If the change is meant, update the baseline and commit it with the change, under a"
                + " CHANGELOG.md entry:\n  " + UPDATE + "\n";
    }

    @Test
    void theListingHoldsSignaturesTypesAndConstants() {
        List<String> lines = listing.lines().toList();
        assertTrue(lines.contains("module dev.parley.core"));
        assertTrue(lines.contains("  exports dev.parley.core.testkit"));
        assertTrue(lines.contains("public final class dev.parley.core.session.Session"));
        assertTrue(lines.contains("  public java.util.List<dev.parley.core.session.Action> handle(long, dev.parley.core.session.Input)"));
        assertTrue(lines.contains("  public static final java.time.Duration LINGER"));
        assertTrue(lines.contains("  public static final int DEFAULT_MAX_LINE_BYTES = 65536"));
        assertTrue(lines.contains("public record dev.parley.core.session.Outcome(dev.parley.core.session.Outcome$Ending ending,"
                + " dev.parley.core.session.Role peer, java.lang.String detail)"));
        assertTrue(lines.contains("  enum constants CLIENT, SERVER"));
        assertTrue(lines.contains("@java.lang.FunctionalInterface public interface dev.parley.core.responder.Responder"));
        assertTrue(lines.contains("  public abstract void feed(byte[], int, int)"));
        assertTrue(lines.contains("  public default void feed(byte[])"));
        assertTrue(lines.contains("  public static dev.parley.core.testkit.ScriptedOperator saying(java.lang.String...)"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("public sealed interface dev.parley.core.wire.Frame permits")
                && l.contains("dev.parley.core.wire.Frame$Message")));
    }

    @Test
    void whatCallersCannotReachIsLeftOut() {
        // Package-private (Limits' reasons, LineFraming.NOTICE), private (Session's state), the
        // private class behind LineFraming's decoder, and the lambdas' synthetic methods.
        assertFalse(listing.contains("idleReason"));
        assertFalse(listing.contains("java.lang.String NOTICE"));
        assertFalse(listing.contains("requireState"));
        assertFalse(listing.contains("LineFraming$Decoder"));
        assertFalse(listing.contains("lambda$"));
        assertFalse(listing.contains("End(dev.parley.core.session.Session)"), "Link.End's constructor is package-private");
    }

    @Test
    void aChangeIsReportedAsHunksWithTheTypeItIsIn() {
        String before = "module m\n\npublic final class a.A\n  public int one()\n  public int two()\n\npublic final class a.B\n  public void x()\n";
        String after = "module m\n\npublic final class a.A\n  public int one()\n  public long two()\n\npublic final class a.B\n  public void x()\n  public void y()\n";

        String diff = ApiSignatures.diff(before, after);

        assertEquals("@@ line 3 of the baseline, in: public final class a.A\n"
                + " public final class a.A\n"
                + "   public int one()\n"
                + "-  public int two()\n"
                + "+  public long two()\n"
                + " \n"
                + " public final class a.B\n"
                + "   public void x()\n"
                + "+  public void y()\n", diff);
        String report = report(Path.of("api/x.api"), before, after);
        assertTrue(report.contains("1 line(s) removed or changed"), report);
        assertTrue(report.contains("2 line(s) added"), report);
        assertTrue(report.contains(UPDATE), report);
    }

    @Test
    void identicalListingsHaveNoDiff() {
        assertEquals("", ApiSignatures.diff(listing, listing));
    }
}
