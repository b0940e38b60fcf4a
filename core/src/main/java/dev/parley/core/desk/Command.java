package dev.parley.core.desk;

import java.util.Locale;
import java.util.Objects;

/**
 * One line an operator entered, read: an answer for the client in front, or a command to the desk.
 * The one place an operator's line is read as a command: a line that does not start with {@code /}
 * is an answer, as typed; {@code //text} is the answer {@code /text}; {@code /pass}, {@code /who},
 * {@code /away} and {@code /back} (case-folded with {@link Locale#ROOT}, white space around them
 * ignored) are commands; any other line that starts with {@code /} is refused as an unknown
 * command, never sent. Only operators' lines are read this way: a client's message is never a
 * command.
 */
public sealed interface Command {

    /** How the commands are written, for a notice that lists them. */
    String HELP = "/pass hands the client back to the line for another operator, /who shows who waits, "
            + "/away takes no new client until /back; // sends a line that starts with /";

    /**
     * An answer for the client in front (the line as typed, or without the first {@code /} of {@code //}).
     *
     * @param text the answer
     */
    record Say(String text) implements Command {
        /**
         * The answer {@code text}.
         *
         * @param text the answer
         */
        public Say {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A command to the desk.
     *
     * @param input what the desk is told, for the operator who entered it
     */
    record ToDesk(DeskInput input) implements Command {
        /**
         * The command that tells the desk {@code input}.
         *
         * @param input what the desk is told
         */
        public ToDesk {
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * A line that starts with {@code /} but names no command: refused, never sent.
     *
     * @param line the line as entered
     */
    record Unknown(String line) implements Command {
        /**
         * The unknown command {@code line}.
         *
         * @param line the line as entered
         */
        public Unknown {
            Objects.requireNonNull(line, "line");
        }

        /**
         * What the operator is told.
         *
         * @return a notice that names the commands
         */
        public String notice() {
            String shown = line.strip();
            return "not sent: " + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown) + " is no command; " + HELP;
        }
    }

    /**
     * Reads {@code line}, entered by the operator {@code operator}.
     *
     * @param operator the id of the operator who entered it (the desk's inputs name it)
     * @param line the line, without its line ending
     * @return what it is: an answer, a command to the desk, or an unknown command
     */
    static Command parse(String operator, String line) {
        Objects.requireNonNull(operator, "operator");
        if (!line.startsWith("/")) {
            return new Say(line);
        }
        if (line.startsWith("//")) {
            return new Say(line.substring(1));
        }
        return switch (line.substring(1).strip().toLowerCase(Locale.ROOT)) {
            case "pass" -> new ToDesk(new DeskInput.Pass(operator));
            case "who" -> new ToDesk(new DeskInput.Who(operator));
            case "away" -> new ToDesk(new DeskInput.Away(operator));
            case "back" -> new ToDesk(new DeskInput.Back(operator));
            default -> new Unknown(line);
        };
    }
}
