package dev.parley.app.cli;

import java.util.List;
import java.util.StringJoiner;

/** Shell completion scripts for bash and zsh, written from the command table. */
public final class Completion {

    private Completion() {}

    /** The script for {@code shell}. */
    public static String script(String shell) throws UserError {
        switch (shell) {
            case "bash":
                return bash();
            case "zsh":
                return zsh();
            default:
                throw Commands.COMPLETION.usage("Unknown shell '" + shell + "'" + CommandSpec.suggestion(shell, List.of("bash", "zsh"))
                        + "; give bash or zsh");
        }
    }

    static String bash() {
        StringBuilder out = new StringBuilder("# bash completion for parley; source it, or save it in /etc/bash_completion.d/parley\n")
                .append("_parley() {\n")
                .append("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} options\n")
                .append("    if [[ $COMP_CWORD -eq 1 ]]; then\n")
                .append("        COMPREPLY=($(compgen -W \"").append(String.join(" ", Commands.ALL.keySet()))
                .append(" --help --version --verbose\" -- \"$cur\"))\n")
                .append("        return\n")
                .append("    fi\n")
                .append("    case ${COMP_WORDS[1]} in\n");
        for (CommandSpec command : Commands.ALL.values()) {
            out.append("        ").append(command.name).append(")\n");
            if (command == Commands.COMPLETION) {
                out.append("            COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\"))\n            return\n            ;;\n");
                continue;
            }
            StringJoiner names = new StringJoiner(" ");
            out.append("            case $prev in\n");
            for (CommandSpec.Option option : command.options()) {
                names.add(option.name());
                if (option.kind() == CommandSpec.Kind.CHOICE) {
                    out.append("                ").append(option.name()).append(") COMPREPLY=($(compgen -W \"")
                            .append(String.join(" ", option.choices())).append("\" -- \"$cur\")); return ;;\n");
                } else if (option.label() != null && option.label().contains("FILE")) {
                    out.append("                ").append(option.name()).append(") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
                } else if (option.kind() != CommandSpec.Kind.FLAG) {
                    out.append("                ").append(option.name()).append(") return ;;\n");
                }
            }
            out.append("            esac\n");
            out.append("            options=\"").append(names).append(" --help --verbose\"\n            ;;\n");
        }
        out.append("    esac\n")
                .append("    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n")
                .append("}\n")
                .append("complete -F _parley parley\n");
        return out.toString();
    }

    static String zsh() {
        StringBuilder out = new StringBuilder("#compdef parley\n")
                .append("# zsh completion for parley: save as _parley in a directory on $fpath\n")
                .append("_parley() {\n")
                .append("    local -a commands\n")
                .append("    commands=(\n");
        for (CommandSpec command : Commands.ALL.values()) {
            out.append("        '").append(command.name).append(':').append(zshText(firstSentence(command.summary))).append("'\n");
        }
        out.append("    )\n")
                .append("    if (( CURRENT == 2 )); then\n")
                .append("        _describe 'command' commands\n")
                .append("        return\n")
                .append("    fi\n")
                .append("    case $words[2] in\n");
        for (CommandSpec command : Commands.ALL.values()) {
            out.append("        ").append(command.name).append(")\n");
            if (command == Commands.COMPLETION) {
                out.append("            _values 'shell' bash zsh\n            ;;\n");
                continue;
            }
            out.append("            _arguments \\\n");
            for (CommandSpec.Option option : command.options()) {
                out.append("                '").append(option.name()).append('[').append(zshText(firstSentence(option.help()))).append(']');
                if (option.kind() == CommandSpec.Kind.CHOICE) {
                    out.append(':').append(option.name().substring(2)).append(":(").append(String.join(" ", option.choices())).append(')');
                } else if (option.label() != null && option.label().contains("FILE")) {
                    out.append(":file:_files");
                } else if (option.kind() != CommandSpec.Kind.FLAG) {
                    out.append(':').append(zshText(option.label())).append(':');
                }
                out.append("' \\\n");
            }
            out.append("                '--help[Show this help and exit]' \\\n")
                    .append("                '--verbose[Print diagnostics and stack traces]'\n")
                    .append("            ;;\n");
        }
        out.append("    esac\n")
                .append("}\n")
                .append("_parley \"$@\"\n");
        return out.toString();
    }

    /** The first sentence, without its full stop ("e.g." does not end one). */
    static String firstSentence(String text) {
        int end = text.indexOf(". ");
        while (end > 0 && (text.startsWith("e.g", end - 3) || text.startsWith("i.e", end - 3))) {
            end = text.indexOf(". ", end + 2);
        }
        String sentence = end > 0 ? text.substring(0, end) : text;
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    /** Text safe inside a zsh single-quoted spec: quotes escaped, no brackets, no colon but in prose (" - "). */
    private static String zshText(String text) {
        return text.replace("'", "'\\''").replace("[", "(").replace("]", ")").replace(": ", " - ").replace(":", " ");
    }
}
