package dev.parley.console;

import dev.parley.core.Operator;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameTooLongException;
import dev.parley.core.wire.LineDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The person at the terminal (or a script on stdin) as the {@link Operator} port: each input line
 * is one message, split with the core's line decoder (UTF-8 whatever the locale, {@code \r\n}
 * accepted). When interactive, a prompt goes to the status stream before each line is read.
 */
public final class ConsoleOperator implements Operator {

    private final InputStream in;
    private final PrintStream status;
    private final boolean interactive;
    private final LineDecoder lines;
    private final byte[] buffer = new byte[8192];

    public ConsoleOperator(InputStream in, PrintStream status, boolean interactive, int maxLineBytes) {
        this.in = in;
        this.status = status;
        this.interactive = interactive;
        this.lines = new LineDecoder(maxLineBytes);
    }

    @Override
    public synchronized Optional<String> nextMessage(Optional<String> heard) {
        if (interactive) {
            status.print("you> ");
            status.flush();
        }
        while (true) {
            Frame frame;
            try {
                frame = lines.next();
            } catch (FrameTooLongException e) {
                status.println("parley: input " + e.getMessage() + "; not sent, type a shorter one");
                continue;
            }
            if (frame instanceof Frame.Message) {
                return Optional.of(((Frame.Message) frame).text());
            }
            if (frame instanceof Frame.End) {
                return Optional.empty();
            }
            fill();
        }
    }

    private void fill() {
        try {
            int n = in.read(buffer);
            if (n < 0) {
                lines.endOfInput();
            } else {
                lines.feed(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }
}
