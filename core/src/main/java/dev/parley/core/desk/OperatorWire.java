package dev.parley.core.desk;

import dev.parley.core.wire.LineFraming;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The operators' protocol ({@code parley-operator/1}, docs/PROTOCOL.md) as a pure codec: each line a
 * remote operator and the server exchange, encoded and decoded, no I/O. Both sides use it: the
 * server's operators' port and the {@code parley operator} program.
 *
 * <p>A line is UTF-8 ending in LF (a CR before it is the line ending's; splitting bytes into lines,
 * with the limit of {@link #maxLineBytes}, is the line decoder's job: this class takes one line
 * without its ending and gives one back without it). A verb, then fields separated by one space; the
 * last field (TEXT, LABEL, NAME) is the rest of the line, escaped: {@code \\} a backslash, {@code \n}
 * a line feed, {@code \r} a carriage return; any other backslash sequence is malformed. Ids are
 * tokens of {@code [A-Za-z0-9._:-]}, 1 to 64 characters; {@code -} names no conversation. A line
 * that starts with {@code !} is a failure report, as in the chat protocol, sent just before closing
 * (a chat notice, {@code !notice: TEXT}, which a clients' port may send an operator before it
 * refuses it, reads as a {@link Tell}).
 *
 * <pre>
 * operator -&gt; server                 server -&gt; operator
 *   parley-operator/1 NAME  (first)     welcome NAME            with ID WAITING LABEL
 *   line ID TEXT    (answers ask ID)    said ID TEXT            ask ID
 *   unasked ID TEXT (no question shown) notice ID TEXT          ended ID TEXT
 *   the end of input: the operator left back ID passed|operator-left
 *                                       tell TEXT               !REASON (then close)
 * </pre>
 *
 * <p>Decoding is strict: a line that does not follow this, or an unknown verb, raises
 * {@link MalformedOperatorLineException} with a reason to put in the failure line.
 */
public final class OperatorWire {

    /** The hello's first field: the protocol and its version. */
    public static final String PROTOCOL = "parley-operator/1";
    /** How every operator's hello starts, whatever its version: what a clients' port recognises. */
    public static final String HELLO_PREFIX = "parley-operator/";
    /** The id that names no conversation. */
    public static final String NO_CONVERSATION = "-";
    /** The longest id, in characters. */
    public static final int MAX_ID_CHARS = 64;
    /** The longest operator's name, in characters (code points). */
    public static final int MAX_NAME_CHARS = 64;
    /** What a line may hold besides its escaped text: the verb and the other fields. */
    public static final int FIELD_BYTES = 200;

    /** A chat-protocol notice line's start: what a clients' port may say before it refuses an operator. */
    private static final String CHAT_NOTICE = "!notice: ";

    private OperatorWire() {
    }

    /**
     * The longest operators' line, in bytes (LF excluded), when a message may be {@code maxMessageBytes}
     * long: the message escaped (at most twice as long) and {@link #FIELD_BYTES}.
     *
     * @param maxMessageBytes the chat's longest message (the server's {@code --max-line-bytes}), at least 1
     * @return the limit for one line of the operators' protocol, at most {@code Integer.MAX_VALUE - 16}
     */
    public static int maxLineBytes(int maxMessageBytes) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1, was " + maxMessageBytes);
        }
        return (int) Math.min(2L * maxMessageBytes + FIELD_BYTES, Integer.MAX_VALUE - 16);
    }

    /**
     * Whether {@code firstLine} is an operator's hello, of any version: what the clients' port refuses
     * with a line that sends the operator to the operators' port.
     *
     * @param firstLine a connection's first line, without its ending
     * @return whether it starts with {@link #HELLO_PREFIX}
     */
    public static boolean looksLikeHello(String firstLine) {
        return firstLine.startsWith(HELLO_PREFIX);
    }

    // ---- operator -> server ---------------------------------------------------------------------------------

    /** A line an operator sends to the server. */
    public sealed interface ToServer permits Hello, Line {
    }

    /**
     * The hello, first: the operator's name.
     *
     * @param name 1 to {@link #MAX_NAME_CHARS} characters, no control character
     */
    public record Hello(String name) implements ToServer {
        /**
         * The hello of the operator {@code name}.
         *
         * @param name the operator's name
         * @throws IllegalArgumentException if the name is empty, too long, or holds a control character
         */
        public Hello {
            String wrong = nameProblem(name);
            if (wrong != null) {
                throw new IllegalArgumentException(wrong);
            }
        }
    }

    /**
     * A line the person entered while {@code conversation} was in front ({@code null}: no one).
     *
     * @param conversation the conversation's id, or null
     * @param text what was entered, as entered (an answer or a command: {@link Command#parse} reads it)
     * @param prompted whether it was entered at the question {@code ask} showed for that conversation
     *     ({@code line}), or while no question showed ({@code unasked}; never sent, unless it is bye)
     */
    public record Line(String conversation, String text, boolean prompted) implements ToServer {
        /**
         * The line {@code text} entered for {@code conversation}.
         *
         * @param conversation the conversation's id, or null
         * @param text what was entered
         * @param prompted whether it was entered at that conversation's question
         */
        public Line {
            requireIdOrNull(conversation);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The line for {@code message}, without its LF.
     *
     * @param message what the operator sends
     * @return its line
     */
    public static String encode(ToServer message) {
        if (message instanceof Hello hello) {
            return PROTOCOL + " " + escape(hello.name());
        }
        Line line = (Line) message;
        return (line.prompted() ? "line " : "unasked ") + idOrNone(line.conversation()) + " " + escape(line.text());
    }

    /**
     * Reads one line an operator sent.
     *
     * @param line the line, without its LF (one CR before it is dropped too)
     * @return what it says
     * @throws MalformedOperatorLineException if it does not follow the protocol
     */
    public static ToServer decodeToServer(String line) {
        Fields fields = new Fields(withoutCr(line));
        String verb = fields.verb();
        if (verb.equals(PROTOCOL)) {
            String name = fields.text();
            String wrong = nameProblem(name);
            if (wrong != null) {
                throw new MalformedOperatorLineException(wrong);
            }
            return new Hello(name);
        }
        if (verb.startsWith(HELLO_PREFIX)) {
            throw new MalformedOperatorLineException("unsupported operators' protocol " + fields.shown(verb)
                    + "; this server speaks " + PROTOCOL);
        }
        return switch (verb) {
            case "line" -> new Line(fields.idOrNone(), fields.text(), true);
            case "unasked" -> new Line(fields.idOrNone(), fields.text(), false);
            default -> throw fields.unknown(verb);
        };
    }

    // ---- server -> operator ---------------------------------------------------------------------------------

    /** A line the server sends to an operator. */
    public sealed interface ToOperator permits Welcome, With, Said, Ask, Notice, Ended, Back, Tell, Failure {
    }

    /**
     * The operator is admitted.
     *
     * @param name its name as the desk shows it
     */
    public record Welcome(String name) implements ToOperator {
        /**
         * Welcomes {@code name}.
         *
         * @param name the operator's name
         */
        public Welcome {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The operator is now with {@code conversation}.
     *
     * @param conversation its id
     * @param waiting how many clients wait in line
     * @param label how to name it (it holds the client's address: render it safely)
     */
    public record With(String conversation, int waiting, String label) implements ToOperator {
        /**
         * Now with {@code conversation}.
         *
         * @param conversation its id
         * @param waiting how many wait, at least 0
         * @param label how to name it
         */
        public With {
            requireId(conversation);
            if (waiting < 0) {
                throw new IllegalArgumentException("waiting must be at least 0, was " + waiting);
            }
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * The client of {@code conversation} said {@code text}.
     *
     * @param conversation its id
     * @param text the client's message, raw
     */
    public record Said(String conversation, String text) implements ToOperator {
        /**
         * A client's message.
         *
         * @param conversation its id
         * @param text the message
         */
        public Said {
            requireId(conversation);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code conversation} asks for the operator's answer.
     *
     * @param conversation its id
     */
    public record Ask(String conversation) implements ToOperator {
        /**
         * A question.
         *
         * @param conversation its id
         */
        public Ask {
            requireId(conversation);
        }
    }

    /**
     * A notice of {@code conversation}'s for the operator.
     *
     * @param conversation its id
     * @param text the notice, raw
     */
    public record Notice(String conversation, String text) implements ToOperator {
        /**
         * A notice.
         *
         * @param conversation its id
         * @param text the notice
         */
        public Notice {
            requireId(conversation);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code conversation} ended.
     *
     * @param conversation its id
     * @param text how, for people (the server's {@code Outcome.describe()})
     */
    public record Ended(String conversation, String text) implements ToOperator {
        /**
         * An ending.
         *
         * @param conversation its id
         * @param text how it ended
         */
        public Ended {
            requireId(conversation);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code conversation} went back to the line.
     *
     * @param conversation its id
     * @param why why
     */
    public record Back(String conversation, DeskAction.Why why) implements ToOperator {
        /**
         * Handed back.
         *
         * @param conversation its id
         * @param why why
         */
        public Back {
            requireId(conversation);
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * A status line from the desk.
     *
     * @param text what to tell the operator, raw
     */
    public record Tell(String text) implements ToOperator {
        /**
         * A status line.
         *
         * @param text what to tell
         */
        public Tell {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A failure report, just before the server closes: the chat protocol's failure line
     * ({@code !REASON}, line breaks blanked, not escaped), so a chat client shows it too.
     *
     * @param reason what went wrong
     */
    public record Failure(String reason) implements ToOperator {
        /**
         * A failure.
         *
         * @param reason what went wrong
         */
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The line for {@code message}, without its LF.
     *
     * @param message what the server sends
     * @return its line
     */
    public static String encode(ToOperator message) {
        if (message instanceof Welcome welcome) {
            return "welcome " + escape(welcome.name());
        } else if (message instanceof With with) {
            return "with " + with.conversation() + " " + with.waiting() + " " + escape(with.label());
        } else if (message instanceof Said said) {
            return "said " + said.conversation() + " " + escape(said.text());
        } else if (message instanceof Ask ask) {
            return "ask " + ask.conversation();
        } else if (message instanceof Notice notice) {
            return "notice " + notice.conversation() + " " + escape(notice.text());
        } else if (message instanceof Ended ended) {
            return "ended " + ended.conversation() + " " + escape(ended.text());
        } else if (message instanceof Back back) {
            return "back " + back.conversation() + " " + (back.why() == DeskAction.Why.PASSED ? "passed" : "operator-left");
        } else if (message instanceof Tell tell) {
            return "tell " + escape(tell.text());
        }
        byte[] failure = new LineFraming().failure(((Failure) message).reason()).orElseThrow();
        return new String(failure, 0, failure.length - 1, StandardCharsets.UTF_8);
    }

    /**
     * Reads one line the server sent.
     *
     * @param line the line, without its LF (one CR before it is dropped too)
     * @return what it says
     * @throws MalformedOperatorLineException if it does not follow the protocol
     */
    public static ToOperator decodeToOperator(String line) {
        String bare = withoutCr(line);
        if (bare.startsWith(CHAT_NOTICE)) {
            return new Tell(bare.substring(CHAT_NOTICE.length())); // a clients' port's notice, before it refuses an operator
        }
        if (bare.startsWith("!")) {
            return new Failure(bare.startsWith("! ") ? bare.substring(2) : bare.substring(1));
        }
        Fields fields = new Fields(bare);
        String verb = fields.verb();
        return switch (verb) {
            case "welcome" -> new Welcome(fields.text());
            case "with" -> new With(fields.id(), fields.count(), fields.text());
            case "said" -> new Said(fields.id(), fields.text());
            case "ask" -> new Ask(fields.lastId());
            case "notice" -> new Notice(fields.id(), fields.text());
            case "ended" -> new Ended(fields.id(), fields.text());
            case "back" -> new Back(fields.id(), fields.why());
            case "tell" -> new Tell(fields.text());
            default -> throw fields.unknown(verb);
        };
    }

    // ---- the fields -----------------------------------------------------------------------------------------

    /**
     * {@code text} escaped for the last field: backslash, LF and CR as {@code \\}, {@code \n}, {@code \r}.
     *
     * @param text any text
     * @return text with no line break in it
     */
    public static String escape(String text) {
        if (text.indexOf('\\') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The text of an escaped field.
     *
     * @param field the field as it came
     * @return the text
     * @throws MalformedOperatorLineException on a backslash sequence other than {@code \\}, {@code \n}, {@code \r}
     */
    public static String unescape(String field) {
        int slash = field.indexOf('\\');
        if (slash < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        out.append(field, 0, slash);
        for (int i = slash; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == field.length()) {
                throw new MalformedOperatorLineException("a backslash ends the line (escape it as \\\\)");
            }
            switch (field.charAt(i)) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> throw new MalformedOperatorLineException("unknown escape \\" + shownChar(field.charAt(i))
                        + " (only \\\\, \\n and \\r)");
            }
        }
        return out.toString();
    }

    private static String withoutCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** Why {@code name} is no operator's name, or null if it is one. */
    private static String nameProblem(String name) {
        Objects.requireNonNull(name, "name");
        int count = name.codePointCount(0, name.length());
        if (count == 0 || name.isBlank()) {
            return "the operator's name is empty";
        }
        if (count > MAX_NAME_CHARS) {
            return "the operator's name is longer than " + MAX_NAME_CHARS + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validPair(name, i)) {
                return "the operator's name holds a control character";
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return null;
    }

    private static boolean validPair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }

    private static boolean isId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return !id.equals(NO_CONVERSATION);
    }

    private static void requireId(String id) {
        Objects.requireNonNull(id, "conversation");
        if (!isId(id)) {
            throw new IllegalArgumentException("not a conversation id: " + shown(id));
        }
    }

    private static void requireIdOrNull(String id) {
        if (id != null) {
            requireId(id);
        }
    }

    private static String idOrNone(String id) {
        return id == null ? NO_CONVERSATION : id;
    }

    /** At most 40 characters of {@code text}, control characters as {@code ?}: safe in a failure line. */
    private static String shown(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.chars().forEach(c -> out.append(Character.isISOControl(c) || Character.isSurrogate((char) c) ? '?' : (char) c));
        return "'" + out + "'";
    }

    private static String shownChar(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) ? "?" : String.valueOf(c);
    }

    /** One line's fields, read left to right. */
    private static final class Fields {
        private final String line;
        private int at;

        Fields(String line) {
            this.line = line;
        }

        String verb() {
            if (line.isEmpty()) {
                throw new MalformedOperatorLineException("empty line");
            }
            return token();
        }

        /** The next field, up to the next space; a line that ends here has no more. */
        private String token() {
            if (at > line.length()) {
                throw new MalformedOperatorLineException("a field is missing");
            }
            int space = line.indexOf(' ', at);
            int end = space < 0 ? line.length() : space;
            String token = line.substring(at, end);
            at = end + 1;
            return token;
        }

        String id() {
            String id = token();
            if (!isId(id)) {
                throw new MalformedOperatorLineException("not a conversation id: " + shown(id));
            }
            return id;
        }

        /** An id that ends the line. */
        String lastId() {
            String id = id();
            if (at <= line.length()) {
                throw new MalformedOperatorLineException("more fields than the verb takes");
            }
            return id;
        }

        String idOrNone() {
            String id = token();
            if (id.equals(NO_CONVERSATION)) {
                return null;
            }
            if (!isId(id)) {
                throw new MalformedOperatorLineException("not a conversation id: " + shown(id));
            }
            return id;
        }

        int count() {
            String digits = token();
            if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new MalformedOperatorLineException("not a count: " + shown(digits));
            }
            return Integer.parseInt(digits);
        }

        DeskAction.Why why() {
            return switch (token()) {
                case "passed" -> DeskAction.Why.PASSED;
                case "operator-left" -> DeskAction.Why.OPERATOR_LEFT;
                default -> throw new MalformedOperatorLineException("not a reason to go back: passed or operator-left");
            };
        }

        /** The rest of the line, unescaped (it may be empty, or hold spaces). */
        String text() {
            if (at > line.length()) {
                throw new MalformedOperatorLineException("a field is missing");
            }
            String rest = line.substring(at);
            at = line.length() + 1;
            return unescape(rest);
        }

        MalformedOperatorLineException unknown(String verb) {
            return new MalformedOperatorLineException("unknown verb " + shown(verb));
        }

        String shown(String text) {
            return OperatorWire.shown(text);
        }
    }
}
