package dev.parley.console;

import dev.parley.core.session.Input;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameTooLongException;
import dev.parley.core.wire.LineDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Standard input as an operator's lines: a person typing, or a script in a pipe. A thread of its own
 * reads ahead (a bounded amount) and splits lines with the core's line decoder (UTF-8 whatever the
 * locale, {@code \r\n} accepted); each {@link #ask} is answered with the next line, as an
 * {@link Input.OperatorLine}, or with {@link Input.OperatorDone} once the input has ended, given to
 * whoever asked, on this thread or the reader's. When interactive, asking prints a prompt.
 */
public final class ConsoleInput {

    /** Lines read ahead before the reader waits for them to be asked for. */
    static final int AHEAD = 256;

    private final InputStream in;
    private final PrintStream prompts;
    private final boolean interactive;
    private final LineDecoder lines;
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private boolean ended;
    private Consumer<Input> waiting;

    public ConsoleInput(InputStream in, PrintStream prompts, boolean interactive, int maxLineBytes) {
        this.in = in;
        this.prompts = prompts;
        this.interactive = interactive;
        this.lines = new LineDecoder(maxLineBytes);
    }

    /** Starts reading, on a daemon thread. */
    public ConsoleInput start() {
        Thread reader = new Thread(this::readAll, "parley-console");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /**
     * The next line (or the end of input) goes to {@code answer}, once: now if one is ready, else
     * as soon as it is read. Only one question is open at a time; a new one replaces it.
     */
    public void ask(Consumer<Input> answer) {
        Input now;
        synchronized (this) {
            now = take();
            if (now == null) {
                waiting = answer;
                if (interactive) {
                    prompts.print("you> ");
                    prompts.flush();
                }
                return;
            }
        }
        answer.accept(now);
    }

    /** Forgets {@code answer}'s open question (its conversation ended); the next line stays for the next one. */
    public synchronized void withdraw(Consumer<Input> answer) {
        if (waiting == answer) {
            waiting = null;
        }
    }

    /** How many lines are read ahead now, for tests of the bound. */
    synchronized int readAhead() {
        return ready.size();
    }

    /** The next answer, or null when none is ready. The caller holds the lock. */
    private Input take() {
        String line = ready.poll();
        if (line != null) {
            if (ready.size() == AHEAD / 2) {
                notifyAll(); // half the read-ahead is used: the reader may refill it, in one go
            }
            return new Input.OperatorLine(line);
        }
        return ended ? new Input.OperatorDone() : null;
    }

    private void readAll() {
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    n = -1; // standard input that cannot be read has ended, as far as anyone can tell
                }
                if (n < 0) {
                    lines.endOfInput();
                    deliver(true);
                    return;
                }
                lines.feed(buffer, 0, n);
                deliver(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues the lines decoded so far (waiting while too many are ahead), and answers an open question. */
    private void deliver(boolean end) throws InterruptedException {
        while (true) {
            Frame frame;
            try {
                frame = lines.next();
            } catch (FrameTooLongException e) {
                prompts.println("parley: input " + e.getMessage() + "; not sent, type a shorter one");
                continue;
            }
            if (!(frame instanceof Frame.Message)) {
                break;
            }
            synchronized (this) {
                while (ready.size() >= AHEAD) {
                    wait(); // until half of what is read ahead has been taken: one wake-up per AHEAD / 2 lines
                }
                ready.add(((Frame.Message) frame).text());
            }
            answerWaiting();
        }
        if (end) {
            synchronized (this) {
                ended = true;
            }
            answerWaiting();
        }
    }

    private void answerWaiting() {
        Consumer<Input> answer;
        Input next;
        synchronized (this) {
            if (waiting == null) {
                return;
            }
            next = take();
            if (next == null) {
                return;
            }
            answer = waiting;
            waiting = null;
        }
        answer.accept(next);
    }
}
