package dev.parley.core.testkit;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Operator;
import dev.parley.core.session.Input;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Two real sessions, a client's and a server's, joined by an in-memory wire that carries their
 * real bytes: no socket, no thread, no clock. Everything happens on the caller's thread inside
 * {@link #run()}, in a fixed order, so a test is deterministic; time moves only with
 * {@link #advance}. Each side records what it was shown ({@link End#transcript()}); a side answered
 * by a person is played by a {@link ScriptedOperator}.
 *
 * <pre>{@code
 * Link link = Link.between(Session.client(framing, limits), Session.server(framing, limits, Responder.echo()))
 *         .clientSays("hello", "bye")
 *         .chunked(1)          // the wire delivers one byte per read
 *         .run();
 * link.client().transcript().heard();   // [hello]
 * }</pre>
 */
public final class Link {

    /** More steps than any test needs: a session that never settles is a bug, not a long test. */
    private static final int MAX_STEPS = 10_000_000;

    private final End client;
    private final End server;
    private int chunk = Integer.MAX_VALUE;
    private long now;
    private boolean opened;

    private Link(Session client, Session server) {
        this.client = new End(client);
        this.server = new End(server);
        this.client.other = this.server;
        this.server.other = this.client;
    }

    /**
     * Joins a client's session and a server's session. Nothing happens until {@link #run()}.
     *
     * @param client a session made by {@link Session#client}, not opened yet
     * @param server a session made by one of {@link Session}'s server factories, not opened yet
     * @return the link
     */
    public static Link between(Session client, Session server) {
        return new Link(client, server);
    }

    /**
     * The client's person says {@code lines} in order, one each time it is asked, then its input ends.
     *
     * @param lines what the client's person says
     * @return this link
     */
    public Link clientSays(String... lines) {
        client.operator = ScriptedOperator.saying(lines);
        return this;
    }

    /**
     * The client's person says {@code lines} in order, then stays silent: no line, no end of input.
     *
     * @param lines what the client's person says
     * @return this link
     */
    public Link clientSaysThenWaits(String... lines) {
        client.operator = ScriptedOperator.sayingThenSilent(lines);
        return this;
    }

    /**
     * The server's person says {@code lines} in order, then its input ends (for a server answered by a person).
     *
     * @param lines what the server's person says
     * @return this link
     */
    public Link serverSays(String... lines) {
        server.operator = ScriptedOperator.saying(lines);
        return this;
    }

    /**
     * The server's person says {@code lines} in order, then stays silent: no line, no end of input.
     *
     * @param lines what the server's person says
     * @return this link
     */
    public Link serverSaysThenWaits(String... lines) {
        server.operator = ScriptedOperator.sayingThenSilent(lines);
        return this;
    }

    /**
     * The wire hands over at most {@code bytes} per read: 1 feeds every session byte by byte.
     *
     * @param bytes the most bytes one read delivers, at least 1
     * @return this link
     * @throws IllegalArgumentException if {@code bytes} is less than 1
     */
    public Link chunked(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a read carries at least one byte");
        }
        this.chunk = bytes;
        return this;
    }

    /**
     * The client's side.
     *
     * @return the client's end of the link
     */
    public End client() {
        return client;
    }

    /**
     * The server's side.
     *
     * @return the server's end of the link
     */
    public End server() {
        return server;
    }

    /**
     * The time now, in the link's nanoseconds.
     *
     * @return the time given with the inputs, starting at 0
     */
    public long now() {
        return now;
    }

    /**
     * Opens both sessions (the first time), then delivers inputs, bytes and operators' answers until
     * nothing more can happen without time passing.
     *
     * @return this link
     * @throws IllegalStateException if the sessions never settle, or a session asks for an
     *     operator that its side does not have
     */
    public Link run() {
        if (!opened) {
            opened = true;
            server.inputs.add(new Input.Open());
            if (server.operator != null) {
                server.inputs.add(new Input.Attend()); // the only conversation: its operator is with it
            }
            client.inputs.add(new Input.Open());
        }
        for (int steps = 0; client.step() | server.step(); steps++) {
            if (steps > MAX_STEPS) {
                throw new IllegalStateException("the sessions never settle: " + client.session + ", " + server.session);
            }
        }
        return this;
    }

    /**
     * Lets {@code time} pass: every deadline it reaches gets its tick, in time order, and all that follows.
     *
     * @param time how long passes
     * @return this link
     */
    public Link advance(Duration time) {
        long until = now + time.toNanos();
        run();
        while (true) {
            OptionalLong next = earliest(client.session.deadline(), server.session.deadline());
            if (next.isEmpty() || next.getAsLong() - until > 0) {
                break;
            }
            now = Math.max(now, next.getAsLong());
            for (End end : List.of(client, server)) {
                OptionalLong deadline = end.session.deadline();
                if (deadline.isPresent() && now - deadline.getAsLong() >= 0) {
                    end.inputs.add(new Input.Tick());
                }
            }
            run();
        }
        now = until;
        return this;
    }

    private static OptionalLong earliest(OptionalLong a, OptionalLong b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.getAsLong() - b.getAsLong() <= 0 ? a : b;
    }

    /** One side of the link: its session, its record, its operator, and the pipe its bytes leave by. */
    public final class End {
        private final Session session;
        private final RecordingTranscript transcript = new RecordingTranscript();
        private final ArrayDeque<Input> inputs = new ArrayDeque<>();
        private final Pipe out = new Pipe();
        private ScriptedOperator operator;
        private End other;
        private boolean endDelivered;

        End(Session session) {
            this.session = Objects.requireNonNull(session, "session");
        }

        /**
         * This side's session.
         *
         * @return the session
         */
        public Session session() {
            return session;
        }

        /**
         * What this side was shown and said.
         *
         * @return this side's transcript
         */
        public RecordingTranscript transcript() {
            return transcript;
        }

        /**
         * The scripted person of this side, if it has one.
         *
         * @return the operator, or empty for a side answered by a responder
         */
        public Optional<ScriptedOperator> operator() {
            return Optional.ofNullable(operator);
        }

        /**
         * Queues {@code input} for this side's session, as its driver would (a Stop, an
         * OperatorLine...); it is handled at the next {@link Link#run()}.
         *
         * @param input the input
         * @return this end
         */
        public End input(Input input) {
            inputs.add(input);
            return this;
        }

        /**
         * True once this side has released the connection.
         *
         * @return whether this side's session closed
         */
        public boolean isClosed() {
            return out.isClosed();
        }

        /** Does one thing this side can do now; false when there is nothing. */
        boolean step() {
            Input input = next();
            if (input == null) {
                return false;
            }
            Operator asker = operator != null ? operator : this::refuseAsk;
            Actions.carryOut(session.handle(now, input), out, asker, transcript);
            if (out.isClosed()) {
                other.out.readerGone();
            }
            return true;
        }

        private Input next() {
            if (!inputs.isEmpty()) {
                return inputs.poll();
            }
            State state = session.state();
            if (operator != null && (state == State.CLOSING || state == State.CLOSED)) {
                operator.withdraw(); // as a console does: no one answers a conversation that has ended
            }
            if (operator != null && operator.wasAsked()) {
                Optional<String> line = operator.answer();
                return line.isPresent() ? new Input.OperatorLine(line.get()) : new Input.OperatorDone();
            }
            if (state == State.NEW || state == State.CLOSED) {
                return null;
            }
            Pipe in = other.out;
            if (in.hasBytes() && session.wantsPeerBytes()) {
                return new Input.PeerBytes(in.take(chunk));
            }
            if (in.atEnd() && !endDelivered) {
                endDelivered = true;
                return new Input.PeerClosed();
            }
            return null;
        }

        private void refuseAsk() {
            throw new IllegalStateException(session + " asked for an operator, but this side has none: use clientSays/serverSays");
        }
    }
}
