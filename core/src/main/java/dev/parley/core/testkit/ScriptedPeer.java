package dev.parley.core.testkit;

import dev.parley.core.Incoming;
import dev.parley.core.Peer;
import dev.parley.core.PeerLostException;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fake peer for single-threaded tests: it hands out prepared {@link Incoming}s in order (then
 * {@link Incoming.Closed}) and records everything sent to it. It checks sends with a framing, so a
 * message the real wire could not carry is refused here too.
 */
public final class ScriptedPeer implements Peer {

    private final ArrayDeque<Incoming> script;
    private final Framing framing;
    private final List<String> sent = new ArrayList<>();
    private boolean left;
    private Optional<String> failure = Optional.empty();
    private boolean closed;
    private int sendsBeforeLoss = -1;

    public ScriptedPeer(Framing framing, List<Incoming> script) {
        this.framing = framing;
        this.script = new ArrayDeque<>(script);
    }

    /** A peer in line framing that says {@code messages} in order, then closes. */
    public static ScriptedPeer saying(String... messages) {
        List<Incoming> script = new ArrayList<>();
        for (String m : messages) {
            script.add(new Incoming.Message(m));
        }
        return new ScriptedPeer(new LineFraming(), script);
    }

    /** A peer in line framing that hands out {@code script} in order, then closes. */
    public static ScriptedPeer of(Incoming... script) {
        return new ScriptedPeer(new LineFraming(), List.of(script));
    }

    /** Makes every send after the first {@code n} fail as if the connection were lost. */
    public ScriptedPeer losingAfter(int n) {
        this.sendsBeforeLoss = n;
        return this;
    }

    @Override
    public synchronized Incoming receive() {
        Incoming next = script.poll();
        return next != null ? next : new Incoming.Closed();
    }

    @Override
    public synchronized void send(String message) {
        framing.encode(message);
        if (closed || left || (sendsBeforeLoss >= 0 && sent.size() >= sendsBeforeLoss)) {
            throw new PeerLostException("connection lost (scripted)");
        }
        sent.add(message);
    }

    @Override
    public synchronized void leave() {
        left = true;
    }

    @Override
    public synchronized void fail(String reason) {
        failure = Optional.of(reason);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** Every message sent, in order (bye is not a message: see {@link #hasLeft()}). */
    public synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    /** True once the conversation said bye (or left) to this peer. */
    public synchronized boolean hasLeft() {
        return left;
    }

    /** The failure reported to this peer, if any. */
    public synchronized Optional<String> failure() {
        return failure;
    }

    public synchronized boolean isClosed() {
        return closed;
    }
}
