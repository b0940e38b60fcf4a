package dev.parley.socket;

import dev.parley.core.contract.PeerContract;
import java.io.IOException;

/** The Peer contract over a real TCP connection on IPv6 loopback. */
class SocketPeerIpv6Test extends PeerContract {
    @Override
    protected Pair connect() throws IOException {
        return LoopbackPairs.connectOver("::1");
    }
}
