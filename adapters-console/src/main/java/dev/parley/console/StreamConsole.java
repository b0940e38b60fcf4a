package dev.parley.console;

import dev.parley.core.session.Input;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameTooLongException;
import dev.parley.core.wire.LineDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The console over plain streams: the piped contract. Each message is exactly one line on standard
 * output, rendered safe, with nothing added; status lines go to standard error; standard input's
 * lines answer the questions in order, read ahead (a bounded amount) on a thread of its own and
 * split by the core's line decoder (UTF-8 whatever the locale, {@code \r\n} accepted).
 *
 * <p>With {@code person} (someone types on a terminal that no line editor could take), asking
 * prints the prompt {@code you> } on the status stream, messages are labelled with who said them,
 * and each line typed goes at once to the conversation in front, prompted or not: a line typed out
 * of turn is the session's to refuse, never kept for a later question.
 */
public final class StreamConsole implements Console {

    /** Lines read ahead before the reader waits for them to be asked for. */
    static final int AHEAD = 256;

    private final InputStream in;
    private final ExactLines messages;
    private final PrintStream status;
    private final boolean person;
    private final Listener listener;
    private final LineDecoder lines;
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private final Front front = new Front();
    private boolean ended;
    /** The pipe's open question. */
    private Consumer<Input> waiting;

    /**
     * @param messages standard output, where messages go; a write that fails is told to {@code listener} once
     * @param maxLineBytes the longest line read; a longer one is refused with a status line
     */
    public StreamConsole(InputStream in, OutputStream messages, PrintStream status, boolean person, int maxLineBytes,
            Listener listener) {
        this.in = in;
        this.messages = new ExactLines(messages, listener);
        this.status = status;
        this.person = person;
        this.listener = listener;
        this.lines = new LineDecoder(maxLineBytes);
    }

    @Override
    public StreamConsole start() {
        Thread reader = new Thread(this::readAll, "parley-console");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    @Override
    public void forwardTo(Consumer<Input> conversation) {
        front.set(conversation);
    }

    @Override
    public void ask(Consumer<Input> answer) {
        Input now;
        synchronized (this) {
            if (person && !ended) {
                front.ask(answer);
                status.print("you> ");
                status.flush();
                return;
            }
            now = take();
            if (now == null) {
                waiting = answer;
                return;
            }
        }
        answer.accept(now);
    }

    @Override
    public synchronized void withdraw(Consumer<Input> answer) {
        front.withdraw(answer);
        if (waiting == answer) {
            waiting = null;
        }
    }

    @Override
    public void idle(String label) {
        // no prompt line to show it in: status lines say whose turn it is
    }

    @Override
    public void message(String who, String text) {
        String safe = TerminalSafe.render(text);
        messages.write(person ? who + "> " + safe : safe);
    }

    @Override
    public void status(String line) {
        status.println(line);
        status.flush();
    }

    @Override
    public void close() {
        status.flush();
    }

    /**
     * True once input has ended and every line it held has been taken: a script with nothing left
     * to answer with (an operator program then leaves as soon as it is with no one).
     */
    public synchronized boolean spent() {
        return ended && ready.isEmpty();
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
                status("parley: input " + e.getMessage() + "; not sent, type a shorter one");
                continue;
            }
            String text;
            if (frame instanceof Frame.Message) {
                text = ((Frame.Message) frame).text();
            } else if (frame instanceof Frame.CutOff) {
                text = ((Frame.CutOff) frame).text(); // a file's last line without its line feed is still the person's
            } else {
                break;
            }
            if (person) {
                if (!front.enter(text)) {
                    status(Front.NO_ONE_YET);
                }
                continue;
            }
            synchronized (this) {
                while (ready.size() >= AHEAD) {
                    wait(); // until half of what is read ahead has been taken: one wake-up per AHEAD / 2 lines
                }
                ready.add(text);
            }
            answerWaiting();
        }
        if (end) {
            boolean nothingLeft;
            Consumer<Input> question;
            synchronized (this) {
                ended = true;
                question = person ? front.takeQuestion() : null;
                nothingLeft = ready.isEmpty() && waiting == null && question == null;
            }
            if (question != null) {
                question.accept(new Input.OperatorDone());
            }
            answerWaiting();
            if (nothingLeft) {
                listener.inputEnded();
            }
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
