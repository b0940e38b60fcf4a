package dev.parley.app.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command and its options, declared once as a table ({@link Commands}): each option's name,
 * value label, type, default, allowed values or range, and help. Parsing, every value error, the
 * help text and the shell completion scripts all come from that table. Hand-written rather than
 * picocli, which cost 230 ms of start-up here (docs/BENCHMARKS.md, P5).
 *
 * <p>Options are written {@code --name VALUE} or {@code --name=VALUE} (a value that starts with
 * {@code --} only in the second form); flags take no value; each option may be given once;
 * {@code --} ends the options. Commands take no other arguments.
 */
public final class CommandSpec {

    /** What an option's value is, and so how it is read and checked. */
    enum Kind { FLAG, TEXT, INTEGER, DURATION, SIZE, CHOICE }

    /** One option: everything parsing, value errors, help and completion need. */
    record Option(String name, String label, Kind kind, String defaultValue, String defaultText, String help,
            List<String> choices, long min, long max) {

        /** The default as help shows it. */
        String shownDefault() {
            return defaultText != null ? defaultText : defaultValue;
        }
    }

    /** The column help text wraps at. */
    static final int WIDTH = 80;

    final String name;
    final String summary;
    private final Map<String, Option> options = new LinkedHashMap<>();

    CommandSpec(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    CommandSpec flag(String option, String help) {
        return add(new Option(option, null, Kind.FLAG, null, null, help, List.of(), 0, 0));
    }

    CommandSpec text(String option, String label, String defaultValue, String help) {
        return add(new Option(option, label, Kind.TEXT, defaultValue, null, help, List.of(), 0, 0));
    }

    CommandSpec integer(String option, String label, long defaultValue, long min, long max, String help) {
        return add(new Option(option, label, Kind.INTEGER, String.valueOf(defaultValue), null, help, List.of(), min, max));
    }

    /** An integer option whose default is worked out when it is not given (described by {@code defaultText}). */
    CommandSpec integer(String option, String label, String defaultText, long min, long max, String help) {
        return add(new Option(option, label, Kind.INTEGER, null, defaultText, help, List.of(), min, max));
    }

    CommandSpec duration(String option, String defaultValue, String help) {
        return add(new Option(option, "DURATION", Kind.DURATION, defaultValue, null, help, List.of(), 0, 0));
    }

    /** A size option whose default is worked out when it is not given (described by {@code defaultText}). */
    CommandSpec size(String option, String defaultText, long min, String help) {
        return add(new Option(option, "SIZE", Kind.SIZE, null, defaultText, help, List.of(), min, Long.MAX_VALUE));
    }

    CommandSpec choice(String option, List<String> choices, String defaultValue, String help) {
        return add(new Option(option, String.join("|", choices), Kind.CHOICE, defaultValue, null, help, List.copyOf(choices), 0, 0));
    }

    private CommandSpec add(Option option) {
        options.put(option.name(), option);
        return this;
    }

    Collection<Option> options() {
        return options.values();
    }

    /** What the user gave for this command, read and checked, with the defaults filled in. */
    public final class Parsed {
        private final Map<String, String> values = new HashMap<>();

        /** True when the user gave this option. */
        public boolean given(String option) {
            return values.containsKey(option);
        }

        public boolean flag(String option) {
            return values.containsKey(option);
        }

        public String text(String option) {
            return value(option).orElseThrow(() -> new IllegalStateException(option + " has no default"));
        }

        public Optional<String> value(String option) {
            String given = values.get(option);
            return given != null ? Optional.of(given) : Optional.ofNullable(options.get(option).defaultValue());
        }

        Optional<Long> number(String option) throws UserError {
            Optional<String> text = value(option);
            return text.isPresent() ? Optional.of(readInteger(options.get(option), text.get())) : Optional.empty();
        }

        public int integer(String option) throws UserError {
            return Math.toIntExact(number(option).orElseThrow(() -> new IllegalStateException(option + " has no default")));
        }

        public Duration duration(String option) throws UserError {
            String text = text(option);
            try {
                return DurationParser.parse(text);
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '" + option + "': " + e.getMessage());
            }
        }

        public Optional<Long> size(String option) throws UserError {
            Optional<String> text = value(option);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            Option spec = options.get(option);
            long size;
            try {
                size = SizeParser.parse(text.get());
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '" + option + "': " + e.getMessage());
            }
            if (size < spec.min()) {
                throw usage(option + " must be at least " + SizeParser.format(spec.min()) + ", was " + SizeParser.format(size));
            }
            return Optional.of(size);
        }
    }

    private long readInteger(Option option, String text) throws UserError {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw usage("Invalid value for option '" + option.name() + "': '" + text + "' is not a whole number");
        }
        if (value < option.min() || value > option.max()) {
            throw usage(option.name() + " must be between " + option.min() + " and " + option.max() + ", was " + value);
        }
        return value;
    }

    /** Parses this command's arguments. */
    public Parsed parse(List<String> args) throws UserError {
        Parsed parsed = new Parsed();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (optionsEnded || !arg.startsWith("-")) {
                throw usage("Unexpected argument '" + arg + "': 'parley " + name + "' takes options only");
            }
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            Option option = options.get(name);
            if (option == null) {
                throw usage("Unknown option '" + name + "'" + suggestion(name, options.keySet()));
            }
            String value;
            if (option.kind() == Kind.FLAG) {
                if (equals > 0) {
                    throw usage("Option '" + name + "' takes no value");
                }
                value = "true";
            } else if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw usage("Option '" + name + "' needs a value (" + option.label() + ")"
                        + (i + 1 < args.size() ? ", but '" + args.get(i + 1) + "' came next" : ""));
            }
            if (parsed.values.containsKey(name)) {
                throw usage("Option '" + name + "' given twice" + (option.kind() == Kind.FLAG ? ""
                        : " ('" + parsed.values.get(name) + "' and '" + value + "')") + "; give it once");
            }
            check(option, value);
            parsed.values.put(name, value);
        }
        return parsed;
    }

    /** Checks what the table can check of a value as soon as it is read. */
    private void check(Option option, String value) throws UserError {
        switch (option.kind()) {
            case INTEGER:
                readInteger(option, value);
                break;
            case CHOICE:
                if (!option.choices().contains(value)) {
                    throw usage("Invalid value for option '" + option.name() + "': '" + value + "'; choose "
                            + String.join(" or ", option.choices()) + suggestion(value, option.choices()));
                }
                break;
            default:
                break;
        }
    }

    /** A usage error: one line, and where to read more. */
    public UserError usage(String message) {
        return new UserError(message + "; see 'parley " + name + " --help'", Exits.USAGE, null);
    }

    /** {@code " (did you mean 'x'?)"} for the closest known word, or nothing when none is close. */
    public static String suggestion(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = candidate.startsWith(given) && given.length() >= 3 ? 1 : distance(given, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(1, Math.min(3, given.length() / 3))
                ? " (did you mean '" + best + "'?)" : "";
    }

    /** The optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The help text, as {@code parley NAME --help} prints it, wrapped to {@value #WIDTH} columns. */
    public String help() {
        StringBuilder out = new StringBuilder("Usage: parley ").append(name).append(" [OPTIONS]\n");
        wrap(out, summary, 0, 0);
        out.append("Options:\n");
        List<String[]> rows = new ArrayList<>();
        for (Option option : options.values()) {
            String left = option.kind() == Kind.FLAG ? option.name() : option.name() + " " + option.label();
            String right = option.help() + (option.shownDefault() == null ? "" : " (default: " + option.shownDefault() + ")");
            rows.add(new String[] {left, right});
        }
        rows.addAll(Commands.COMMON_OPTIONS);
        int width = 0;
        for (String[] row : rows) {
            width = Math.max(width, Math.min(row[0].length(), 30));
        }
        for (String[] row : rows) {
            out.append("  ").append(row[0]);
            int column = 2 + row[0].length();
            if (row[0].length() > width) {
                out.append('\n');
                column = 0;
            }
            out.append(" ".repeat(2 + width + 2 - column));
            wrap(out, row[1], 2 + width + 2, 2 + width + 2);
        }
        return out.toString();
    }

    /**
     * Appends {@code text} wrapped to {@link #WIDTH} columns: the first line continues at {@code
     * column}, the others start at {@code indent}.
     */
    static void wrap(StringBuilder out, String text, int column, int indent) {
        int at = column;
        for (String word : text.split(" ")) {
            if (at > indent && at + 1 + word.length() > WIDTH) {
                out.append('\n').append(" ".repeat(indent));
                at = indent;
            } else if (at > indent) {
                out.append(' ');
                at++;
            }
            out.append(word);
            at += word.length();
        }
        out.append('\n');
    }

}
