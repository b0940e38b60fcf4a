package dev.parley.socket.client;

import dev.parley.core.port.Peer;
import dev.parley.core.contract.PeerContract;
import dev.parley.socket.Wire;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The client's {@link Peer} on a JDK socket channel keeps the port's contract, over loopback. Its
 * driver writes with {@link SocketPeer#flush}; reading here pumps it, as the client's loop does.
 */
class SocketPeerTest extends PeerContract {

    @Override
    protected Connection connect() throws Exception {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel nearChannel = SocketChannel.open(listener.getLocalAddress());
        nearChannel.configureBlocking(false);
        SocketChannel far = listener.accept();
        SocketPeer near = new SocketPeer(new Wire.Plain(nearChannel));
        return new Connection() {
            @Override
            public Peer near() {
                return near;
            }

            @Override
            public byte[] readToEnd() throws IOException {
                far.configureBlocking(false);
                return pumpToEnd(near::flush, far);
            }

            @Override
            public void close() throws IOException {
                near.closeNow();
                far.close();
                listener.close();
            }
        };
    }
}
