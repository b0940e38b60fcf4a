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
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A transcript file in JSON Lines: one JSON object per event, appended, for {@code jq} and friends.
 * Every event has {@code ts} (RFC 3339, UTC, milliseconds), {@code conversation} (an id unique in
 * the file: this run's random prefix and a counter), {@code from} ({@code client} or
 * {@code server}) and {@code kind}. {@code from} is who said it for what was said ({@code message},
 * {@code notice}, {@code bye}, {@code failure}, {@code cut_off}), and the side keeping the file for
 * its own records ({@code opened}, {@code ended}, {@code repaired}), on both sides alike: a
 * server's file says {@code "from":"server"} on them, a client's {@code "from":"client"}.
 * {@code text} is the message exactly as it was on the wire
 * (JSON-escaped, nothing else: rendering is for display). Kinds: {@code opened} (with {@code peer},
 * the other side's address), {@code message}, {@code notice}, {@code bye}, {@code failure} (the
 * reason in {@code text}), {@code cut_off} (a last line the peer's closing cut off, in
 * {@code text}: never a message), {@code ended} (with {@code ending}, e.g. {@code peer_said_bye},
 * and a description in {@code text}) and {@code repaired} (below).
 *
 * <p>Each event is one write to a file opened for appending (so conversations on several threads
 * never interleave within a line), and the file is forced to the disk when a conversation ends. A
 * write that fails is reported once, to {@code warnings}, and nothing more is written. Which file,
 * and that it is safe to write, is the caller's to decide (the app's file policy): this class
 * writes to the channel it is given.
 *
 * <p>Every line of the file stays valid JSON, even after a run was cut short: a file that does not
 * end with a line feed (a full disk, a crash in the middle of a write) has its cut last record taken
 * off when the next run opens it, and put back as that run's first event, {@code repaired}
 * (conversation {@code RUN-0}, {@code from} the side keeping the file): its {@code text} is the cut
 * bytes read as UTF-8 (a malformed sequence, such as a character cut in half, as U+FFFD) and
 * JSON-escaped like any text, and {@code bytes} is their number. A last line longer than
 * {@link #MAX_CUT_BYTES} with no end is not a record Parley wrote: such a file is refused, not cut.
 */
public final class JsonLinesTranscript implements Closeable {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The longest cut record a run repairs: past it, the file's last line is not one Parley wrote. */
    public static final int MAX_CUT_BYTES = 16 << 20;

    private final String name;
    private final FileChannel file;
    private final Role self;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final String run = String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    private final AtomicLong conversations = new AtomicLong();
    private boolean failed;

    private JsonLinesTranscript(String name, FileChannel file, Role self, Clock clock, Consumer<String> warnings) {
        this.name = name;
        this.file = file;
        this.self = self;
        this.clock = clock;
        this.warnings = warnings;
    }

    /** A file whose cut last line is too long to be a record: not a transcript Parley can continue. */
    public static final class NotATranscriptException extends IOException {
        private static final long serialVersionUID = 1L;

        NotATranscriptException(String message) {
            super(message);
        }
    }

    /**
     * The transcript that appends to {@code appending} (a regular file opened for appending), after
     * repairing a record an earlier run left cut (see above), read through {@code reading} (the same
     * file opened for reading; empty for a file just created).
     *
     * @param name the file's name, for warnings
     * @param self the side keeping the file: the {@code from} of a repair
     * @param warnings told, in one line, if the file cannot be written later
     * @throws NotATranscriptException when the last line has no end and is longer than {@link #MAX_CUT_BYTES}
     * @throws IOException when the repair cannot be read or written
     */
    public static JsonLinesTranscript open(String name, FileChannel appending, Optional<FileChannel> reading, Role self, Clock clock,
            Consumer<String> warnings) throws IOException {
        JsonLinesTranscript transcript = new JsonLinesTranscript(name, appending, self, clock, warnings);
        if (reading.isPresent()) {
            transcript.repair(reading.get());
        }
        return transcript;
    }

    /** Takes off a cut last record and writes it back, escaped, as a {@code repaired} event. */
    private void repair(FileChannel reading) throws IOException {
        long size = reading.size();
        byte[] cut = cutRecord(reading, size);
        if (cut.length == 0) {
            return;
        }
        if (reading.size() != size) {
            return; // another run is writing to it now: its lines are its own
        }
        file.truncate(size - cut.length);
        String text = new String(cut, StandardCharsets.UTF_8);
        String line = "{\"ts\":\"" + TIME.format(clock.instant()) + "\",\"conversation\":\"" + run + "-0\",\"from\":\"" + self.label()
                + "\",\"kind\":\"repaired\",\"text\":" + json(text) + ",\"bytes\":" + cut.length + "}\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            file.write(bytes);
        }
        file.force(false);
    }

    /** The bytes after the last line feed of the file's first {@code size} bytes (none when it ends with one). */
    private static byte[] cutRecord(FileChannel reading, long size) throws IOException {
        ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, MAX_CUT_BYTES + 1L));
        long from = size - tail.capacity();
        while (tail.hasRemaining()) {
            if (reading.read(tail, from + tail.position()) < 0) {
                throw new IOException("the file shrank while being read");
            }
        }
        byte[] bytes = tail.array();
        int end = bytes.length;
        int start = end;
        while (start > 0 && bytes[start - 1] != '\n') {
            start--;
        }
        if (start == 0 && from > 0) {
            throw new NotATranscriptException("its last line has no end and is longer than " + (MAX_CUT_BYTES >> 20)
                    + " MiB, so it is not a record Parley wrote");
        }
        return Arrays.copyOfRange(bytes, start, end);
    }

    /**
     * A new conversation, recorded from side {@code self}; writes its {@code opened} event.
     *
     * @param peerAddress the other side's address
     */
    public Transcript conversation(Role self, String peerAddress) {
        Conversation conversation = new Conversation(run + "-" + conversations.incrementAndGet(), self);
        conversation.event(self, "opened", null, "\"peer\":" + json(peerAddress), false);
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
                if (force) {
                    file.force(false);
                }
                return;
            } catch (IOException e) {
                failed = true;
                failure = String.valueOf(e.getMessage());
            }
        }
        warnings.accept("parley: warning: cannot write the transcript " + TerminalSafe.forLog(name, 200) + ": "
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

    /**
     * {@code text} as a JSON string: quotes and backslashes escaped, and every character that would
     * act on a terminal or hide itself in the file ({@link TerminalSafe#hidesOrActs}: controls, C1
     * included; bidi controls, tags and other invisible format characters; line and paragraph
     * separators; half of a surrogate pair) as {@code \}{@code uXXXX}: the file is safe to read with
     * {@code cat}, and a JSON reader gets the text back exactly.
     */
    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int end = i + Character.charCount(c);
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
                    if (TerminalSafe.hidesOrActs(c)) {
                        for (int j = i; j < end; j++) {
                            out.append(String.format("\\u%04x", (int) text.charAt(j)));
                        }
                    } else {
                        out.appendCodePoint(c);
                    }
            }
            i = end;
        }
        return out.append('"').toString();
    }
}
