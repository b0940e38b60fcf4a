package dev.parley.socket;

import dev.parley.core.contract.PeerContract;
import dev.parley.core.wire.LineFraming;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Connected pairs of socket peers over a loopback address, for the Peer contract. */
final class LoopbackPairs {

    private LoopbackPairs() {}

    static PeerContract.Pair connectOver(String loopback) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName(loopback))) {
            Socket near = new Socket();
            near.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 5000);
            Socket far = listener.accept();
            return new PeerContract.Pair(
                    new SocketPeer(near, new LineFraming(), Limits.NONE),
                    new SocketPeer(far, new LineFraming(), Limits.NONE));
        }
    }
}
