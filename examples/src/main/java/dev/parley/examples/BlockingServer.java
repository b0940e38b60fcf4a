package dev.parley.examples;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Peer;
import dev.parley.core.port.Transcript;
import dev.parley.core.responder.Responder;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import dev.parley.core.wire.LineFraming;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A Parley server on plain blocking sockets, one thread per conversation: the driver's contract
 * (package {@code dev.parley.core.port}) at its simplest, each conversation its own {@link Peer}.
 * Its writes block, so it gives up one ending: a client that reads none of the replies holds its
 * thread in {@code write} past the idle timeout, and "took none of the replies" never fires.
 * Writes that cannot block ({@link PipeDriver}'s) get it back.
 */
public final class BlockingServer implements Peer {

    private final Socket socket;
    /** Peer calls cannot throw: a write's failure is kept here, and fed to the session as PeerFailed. */
    private String failure;

    private BlockingServer(Socket socket) {
        this.socket = socket;
    }

    /** Listens on 127.0.0.1, port {@code args[0]} (default 1234, as {@code parley client}); a {@link Shouter} answers. */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 1234;
        try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on port " + listener.getLocalPort());
            acceptForever(listener, Limits.idle(Duration.ofSeconds(30)), new Shouter(), System.out);
        }
    }

    /** Serves each connection {@code listener} accepts on a thread of its own, until the listener is closed. */
    public static void acceptForever(ServerSocket listener, Limits limits, Responder responder, PrintStream out)
            throws IOException {
        while (true) {
            Socket socket = listener.accept();
            new Thread(() -> serve(socket, limits, responder, new PrintingTranscript("server", out))).start();
        }
    }

    /** One conversation on {@code socket}, on this thread: read, tell the session, carry out what it says. */
    public static void serve(Socket socket, Limits limits, Responder responder, Transcript transcript) {
        LineFraming framing = new LineFraming();
        Session session = Session.server(framing, limits, responder);
        BlockingServer peer = new BlockingServer(socket);
        byte[] buffer = new byte[framing.readSize()];
        try (socket) {
            Input input = new Input.Open();
            while (true) {
                Actions.carryOut(session.handle(System.nanoTime(), input), peer, transcript);
                if (session.state() == State.CLOSED) {
                    return; // and no read more: with no deadline, it would wait for ever
                }
                // A responder's session wants the peer's bytes until it is closed, so this loop always reads.
                input = peer.failure == null ? peer.read(session.deadline(), buffer) : new Input.PeerFailed(peer.failure);
            }
        } catch (IOException e) {
            // the socket is closed all the same
        }
    }

    /** The peer's next bytes, the end of its input, its failure, or a tick once the session's deadline has come. */
    private Input read(OptionalLong deadline, byte[] buffer) {
        try {
            socket.setSoTimeout(deadline.isEmpty() ? 0 : millisUntil(deadline.getAsLong(), System.nanoTime())); // 0: for ever
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? new Input.PeerClosed() : new Input.PeerBytes(buffer, 0, n);
        } catch (SocketTimeoutException e) {
            return new Input.Tick();
        } catch (IOException e) {
            return new Input.PeerFailed(String.valueOf(e.getMessage()));
        }
    }

    /**
     * How long from {@code now} until {@code deadline}, as a socket timeout: in whole milliseconds rounded
     * up (a tick a little late is on time, an early one harmless), and at least 1: 0 would wait for ever.
     */
    static int millisUntil(long deadline, long now) {
        long millis = (deadline - now + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(millis, Integer.MAX_VALUE));
    }

    @Override
    public void send(byte[] bytes) {
        try {
            if (failure == null) {
                socket.getOutputStream().write(bytes); // blocks while the client reads nothing
            }
        } catch (IOException e) {
            failure = String.valueOf(e.getMessage());
        }
    }

    @Override
    public void endOutput() {
        try {
            socket.shutdownOutput(); // what was written goes first: the writes above have returned
        } catch (IOException e) {
            failure = String.valueOf(e.getMessage());
        }
    }

    @Override
    public void close() {
        // The session is CLOSED with this action: serve's loop ends, and closes the socket.
    }
}
