package dev.parley.console;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A transcript file in JSON Lines: one JSON object per event, appended, for {@code jq} and friends.
 * Every event has {@code ts} (RFC 3339, UTC, milliseconds), {@code conversation} (an id unique in
 * the file: this run's random prefix and a counter), {@code from} ({@code client} or
 * {@code server}) and {@code kind}; {@code text} is the message exactly as it was on the wire
 * (JSON-escaped, nothing else: rendering is for display). Kinds: {@code opened} (with {@code peer},
 * the other side's address), {@code message}, {@code notice}, {@code bye}, {@code failure} (the
 * reason in {@code text}), {@code cut_off} (a last line the peer's closing cut off, in
 * {@code text}: never a message) and {@code ended} (with {@code ending}, e.g. {@code peer_said_bye},
 * and a description in {@code text}).
 *
 * <p>Each event is one write to a file opened for appending (so conversations on several threads
 * never interleave within a line), and the file is forced to the disk when a conversation ends. A
 * new file is created owner-only ({@code rw-------}). A write that fails is reported once, to
 * {@code warnings}, and nothing more is written.
 */
public final class JsonLinesTranscript implements Closeable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path path;
    private final FileChannel file;
    /** A regular file, forced to the disk at each ending; a pipe or a terminal has nothing to force. */
    private final boolean regular;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final String run = String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    private final AtomicLong conversations = new AtomicLong();
    private boolean failed;

    private JsonLinesTranscript(Path path, FileChannel file, Clock clock, Consumer<String> warnings) {
        this.path = path;
        this.file = file;
        this.regular = Files.isRegularFile(path);
        this.clock = clock;
        this.warnings = warnings;
    }

    /**
     * Opens {@code path} for appending, creating it owner-only if it does not exist.
     *
     * @param warnings told, in one line, if the file cannot be written later
     * @throws IOException when it cannot be opened
     */
    public static JsonLinesTranscript open(Path path, Clock clock, Consumer<String> warnings) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        FileChannel file;
        try {
            file = FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            file = FileChannel.open(path, options);
        }
        return new JsonLinesTranscript(path, file, clock, warnings);
    }

    /**
     * A new conversation, recorded from side {@code self}; writes its {@code opened} event.
     *
     * @param peerAddress the other side's address
     */
    public Transcript conversation(Role self, String peerAddress) {
        Conversation conversation = new Conversation(run + "-" + conversations.incrementAndGet(), self);
        conversation.event(Role.CLIENT, "opened", null, "\"peer\":" + json(peerAddress), false);
        return conversation;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // closing after a forced write loses nothing
        }
    }

    /** Appends one line; forces it to the disk when {@code force}. */
    private void append(String line, boolean force) {
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        String failure;
        synchronized (this) {
            if (failed) {
                return;
            }
            try {
                while (bytes.hasRemaining()) {
                    file.write(bytes);
                }
                if (force && regular) {
                    file.force(false);
                }
                return;
            } catch (IOException e) {
                failed = true;
                failure = String.valueOf(e.getMessage());
            }
        }
        warnings.accept("parley: warning: cannot write the transcript " + TerminalSafe.forLog(path.toString(), 200) + ": "
                + TerminalSafe.forLog(failure, 200) + "; nothing more is written to it");
    }

    /** One conversation's events. */
    private final class Conversation implements Transcript {
        private final String id;
        private final Role self;

        Conversation(String id, Role self) {
            this.id = id;
            this.self = self;
        }

        @Override
        public void heard(String message) {
            event(self.other(), "message", message, null, false);
        }

        @Override
        public void said(Sent what) {
            if (what instanceof Sent.Message) {
                event(self, "message", ((Sent.Message) what).text(), null, false);
            } else if (what instanceof Sent.Bye) {
                event(self, "bye", null, null, false);
            } else if (what instanceof Sent.Failure) {
                event(self, "failure", ((Sent.Failure) what).reason(), null, false);
            } else {
                event(self, "notice", ((Sent.Notice) what).text(), null, false);
            }
        }

        /** The peer's notices come prefixed with its label ("server: ..."); the others are this side's own. */
        @Override
        public void notice(String text) {
            String peerPrefix = self.other().label() + ": ";
            if (text.startsWith(peerPrefix)) {
                event(self.other(), "notice", text.substring(peerPrefix.length()), null, false);
            } else {
                event(self, "notice", text, null, false);
            }
        }

        @Override
        public void ended(Outcome outcome) {
            if (outcome.ending() == Outcome.Ending.PEER_SAID_BYE) {
                event(self.other(), "bye", null, null, false);
            } else if (outcome.ending() == Outcome.Ending.PEER_FAILED) {
                event(self.other(), "failure", outcome.detail(), null, false);
            } else if (outcome.ending() == Outcome.Ending.PEER_CUT_OFF) {
                event(self.other(), "cut_off", outcome.detail(), null, false);
            }
            event(self, "ended", outcome.describe(), "\"ending\":" + json(outcome.ending().name().toLowerCase(Locale.ROOT)), true);
        }

        void event(Role from, String kind, String text, String extra, boolean force) {
            StringBuilder line = new StringBuilder(96 + (text == null ? 0 : text.length()))
                    .append("{\"ts\":\"").append(TIME.format(clock.instant()))
                    .append("\",\"conversation\":\"").append(id)
                    .append("\",\"from\":\"").append(from.label())
                    .append("\",\"kind\":\"").append(kind).append('"');
            if (text != null) {
                line.append(",\"text\":").append(json(text));
            }
            if (extra != null) {
                line.append(',').append(extra);
            }
            append(line.append("}\n").toString(), force);
        }
    }

    /** {@code text} as a JSON string: quotes, backslashes and every control character escaped, the rest as is. */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !validPair(text, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** True when the surrogate at {@code i} is half of a valid pair (so it encodes as UTF-8). */
    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
