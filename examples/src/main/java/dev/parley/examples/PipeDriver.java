package dev.parley.examples;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The driver of one session over two pipe ends, on the thread of a selector that may serve other
 * drivers too. It owns the I/O and the clock; the session owns the rules. Everything that happens
 * becomes an input with the time it happened ({@link #readable}, {@link #writable}, {@link #tick}),
 * and whatever the session returns is carried out with {@link Actions#carryOut} on this driver's
 * ports: a {@link PipePeer}, a {@link LinesOperator}, and a transcript. It reads only while the
 * session wants the peer's bytes, and tells it when the peer stops taking this side's.
 */
public final class PipeDriver {

    private final Session session;
    private final Pipe.SourceChannel in;
    private final Pipe.SinkChannel out;
    private final PipePeer peer;
    private final LinesOperator operator;
    private final Transcript transcript;
    private final ByteBuffer buffer;
    private SelectionKey reading;
    private SelectionKey writing;
    private boolean inputEnded;
    private boolean blocked;

    /**
     * A driver for {@code session}, reading the peer from {@code in} and writing to {@code out}.
     *
     * @param session a session not opened yet
     * @param in the end of the pipe the peer writes to
     * @param out the end of the pipe the peer reads from
     * @param operator this side's person (never asked on a side answered by a responder)
     * @param transcript where this side's conversation is shown
     * @param readSize how many bytes one read asks for (the framing's {@code readSize()})
     * @throws IOException if a channel cannot be made non-blocking
     */
    public PipeDriver(Session session, Pipe.SourceChannel in, Pipe.SinkChannel out, LinesOperator operator,
            Transcript transcript, int readSize) throws IOException {
        this.session = session;
        this.in = in;
        this.out = out;
        this.peer = new PipePeer(out);
        this.operator = operator;
        this.transcript = transcript;
        this.buffer = ByteBuffer.allocate(readSize);
        in.configureBlocking(false);
        peer.onRelease(this::closeInput);
    }

    /**
     * Registers both pipe ends with {@code selector}, this driver as their attachment.
     *
     * @param selector the selector whose thread drives this session
     * @throws ClosedChannelException if a pipe end is closed already
     */
    public void register(Selector selector) throws ClosedChannelException {
        reading = in.register(selector, 0, this);
        writing = out.register(selector, 0, this);
    }

    /**
     * Opens the conversation.
     *
     * @param now the time, in nanoseconds
     */
    public void open(long now) {
        handle(now, new Input.Open());
    }

    /**
     * The peer's end is readable: hands the session what one read returns, or the end of input.
     *
     * @param now the time, in nanoseconds
     * @throws IOException if reading fails
     */
    public void readable(long now) throws IOException {
        buffer.clear();
        int n = in.read(buffer);
        if (n > 0) {
            handle(now, new Input.PeerBytes(buffer.array(), 0, n));
        } else if (n < 0) {
            inputEnded = true;
            handle(now, new Input.PeerClosed());
        }
    }

    /**
     * This side's end has room: writes what is queued.
     *
     * @param now the time, in nanoseconds
     */
    public void writable(long now) {
        write(now);
    }

    /**
     * Gives the session its tick if its deadline has come.
     *
     * @param now the time, in nanoseconds
     */
    public void tick(long now) {
        OptionalLong deadline = session.deadline();
        if (deadline.isPresent() && now - deadline.getAsLong() >= 0 && session.state() != State.CLOSED) {
            handle(now, new Input.Tick());
        }
    }

    /**
     * When the session next needs a tick.
     *
     * @return the session's deadline, or empty
     */
    public OptionalLong deadline() {
        return session.deadline();
    }

    /**
     * True once the conversation is over and both pipe ends are released.
     *
     * @return whether this driver has nothing more to do
     */
    public boolean finished() {
        return session.state() == State.CLOSED && peer.isReleased();
    }

    /**
     * How the conversation ended.
     *
     * @return the session's outcome, once it has ended
     */
    public Optional<Outcome> outcome() {
        return session.outcome();
    }

    /** The one place an input reaches the session: carry out its actions, then answer its questions. */
    private void handle(long now, Input input) {
        Actions.carryOut(session.handle(now, input), peer, operator, transcript);
        Optional<Input> answer;
        while (session.state() != State.CLOSED && (answer = operator.answer()).isPresent()) {
            Actions.carryOut(session.handle(now, answer.get()), peer, operator, transcript);
        }
        write(now);
    }

    /** Writes what the pipe takes; a pipe whose reader is gone fails the conversation. */
    private void write(long now) {
        boolean drained;
        try {
            drained = peer.flush();
        } catch (IOException e) {
            if (session.state() != State.CLOSED) {
                handle(now, new Input.PeerFailed(e.getMessage() != null ? e.getMessage() : e.toString()));
            }
            return;
        }
        State state = session.state();
        if (drained == blocked && (state == State.PEER_TURN || state == State.OWN_TURN)) {
            blocked = !drained;
            handle(now, blocked ? new Input.OutputBlocked() : new Input.OutputFlowing());
            return;
        }
        watch();
    }

    /** Asks the selector for what the session can use now: the peer's bytes, room to write. */
    private void watch() {
        if (reading != null && reading.isValid()) {
            reading.interestOps(!inputEnded && session.wantsPeerBytes() ? SelectionKey.OP_READ : 0);
        }
        if (writing != null && writing.isValid()) {
            writing.interestOps(peer.hasUnwritten() ? SelectionKey.OP_WRITE : 0);
        }
    }

    private void closeInput() {
        try {
            in.close();
        } catch (IOException e) {
            // a pipe end that fails to close holds nothing of ours any more
        }
    }
}
