package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion scripts the jar prints, loaded into real shells. */
class ShellCompletionIT {

    @TempDir
    Path dir;

    private Path script(String shell) throws Exception {
        try (OsProcess parley = OsProcess.parley("completion", shell)) {
            assertEquals(0, parley.exitCode(), parley.err.text());
            Path file = dir.resolve("_parley." + shell);
            Files.writeString(file, parley.out.text());
            return file;
        }
    }

    /** What bash offers for the words typed so far, the last one being completed. */
    private String bashCompletes(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(Tmux.quote(word)).append(' ');
        }
        String program = "source " + Tmux.quote(script.toString()) + "; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; _parley; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        return out.strip().replace('\n', ' ');
    }

    @Test
    void bashCompletesCommandsOptionsAndChoicesFromTheTable() throws Exception {
        Path script = script("bash");
        assertEquals("client completion", bashCompletes(script, "parley", "c"));
        assertEquals("server", bashCompletes(script, "parley", "se"));
        assertEquals("--port", bashCompletes(script, "parley", "client", "--po"));
        assertEquals("--max-line-bytes --max-conversations --max-per-address --memory-budget --max-operators --metrics",
                bashCompletes(script, "parley", "server", "--m"));
        assertEquals("line raw", bashCompletes(script, "parley", "server", "--framing", ""));
        assertEquals("", bashCompletes(script, "parley", "client", "--port", ""), "a number is the person's to type");
        assertEquals("bash zsh", bashCompletes(script, "parley", "completion", ""));
    }

    @Test
    void theZshScriptIsValidZsh() throws Exception {
        ToolPolicy.requireCommand("zsh", "zsh");
        Path script = script("zsh");
        Process zsh = new ProcessBuilder("zsh", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(zsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, zsh.waitFor(), out);
        assertEquals("", out);
    }
}
