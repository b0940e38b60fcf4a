package dev.parley.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's options, parsed by hand: {@code --name VALUE}, {@code --name=VALUE}, or a flag.
 * Every mistake is one line naming the option and where to look ({@code parley CMD --help}).
 */
final class CommandSpec {

    /** An option: a flag when {@code label} is null; otherwise it takes a value, with a default. */
    record Opt(String name, String label, String defaultValue, String description) {}

    final String name;
    final String summary;
    private final Map<String, Opt> options = new LinkedHashMap<>();

    CommandSpec(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    CommandSpec value(String option, String label, String defaultValue, String description) {
        options.put(option, new Opt(option, label, defaultValue, description));
        return this;
    }

    CommandSpec flag(String option, String description) {
        options.put(option, new Opt(option, null, null, description));
        return this;
    }

    /** What the user gave for this command, with the defaults filled in. */
    final class Parsed {
        private final Map<String, String> values = new HashMap<>();

        String string(String option) {
            return values.get(option);
        }

        boolean flag(String option) {
            return values.containsKey(option);
        }

        int integer(String option) throws UserError {
            String text = values.get(option);
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw usage("Invalid value for option '" + option + "': '" + text + "' is not an int");
            }
        }

        long size(String option) throws UserError {
            String text = values.get(option);
            try {
                return SizeParser.parse(text);
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '" + option + "': " + e.getMessage());
            }
        }

        Duration duration(String option) throws UserError {
            String text = values.get(option);
            try {
                return DurationParser.parse(text);
            } catch (IllegalArgumentException e) {
                throw usage("Invalid value for option '" + option + "': " + e.getMessage());
            }
        }
    }

    /** Parses this command's arguments; {@code firstIndex} is where they start on the command line. */
    Parsed parse(List<String> args, int firstIndex) throws UserError {
        Parsed parsed = new Parsed();
        for (Opt opt : options.values()) {
            if (opt.label() != null) {
                parsed.values.put(opt.name(), opt.defaultValue());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            Opt opt = options.get(option);
            if (opt == null) {
                throw usage(arg.startsWith("-") ? "Unknown option: '" + option + "'"
                        : "Unmatched argument at index " + (firstIndex + i) + ": '" + arg + "'");
            }
            if (opt.label() == null) {
                if (equals > 0) {
                    throw usage("Option '" + option + "' takes no value");
                }
                parsed.values.put(option, "true");
            } else if (equals > 0) {
                parsed.values.put(option, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                parsed.values.put(option, args.get(++i));
            } else {
                throw usage("Missing required parameter for option '" + option + "' (" + opt.label() + ")");
            }
        }
        return parsed;
    }

    /** A usage error: one line, and where to read more. */
    UserError usage(String message) {
        return new UserError(message + "; see 'parley " + name + " --help'", Exits.USAGE, null);
    }

    /** The help text, as {@code parley NAME --help} prints it. */
    String help() {
        StringBuilder out = new StringBuilder("Usage: parley ").append(name).append(" [OPTIONS]\n").append(summary).append('\n');
        List<String[]> rows = new ArrayList<>();
        for (Opt opt : options.values()) {
            String left = opt.label() == null ? opt.name() : opt.name() + "=" + opt.label();
            String right = opt.description() + (opt.defaultValue() == null ? "" : " (default: " + opt.defaultValue() + ")");
            rows.add(new String[] {left, right});
        }
        rows.add(new String[] {"--verbose", "Print diagnostics and stack traces."});
        rows.add(new String[] {"-h, --help", "Show this help and exit."});
        rows.add(new String[] {"-V, --version", "Print version information and exit."});
        int width = 0;
        for (String[] row : rows) {
            width = Math.max(width, row[0].length());
        }
        for (String[] row : rows) {
            out.append("  ").append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1]).append('\n');
        }
        return out.toString();
    }
}
