package dev.parley.socket;

import dev.parley.core.contract.PeerContract;
import java.io.IOException;

/** The Peer contract over a real TCP connection on IPv4 loopback. */
class SocketPeerIpv4Test extends PeerContract {
    @Override
    protected Pair connect() throws IOException {
        return LoopbackPairs.connectOver("127.0.0.1");
    }
}
