package dev.parley.examples;

import dev.parley.core.port.Peer;
import dev.parley.core.contract.PeerContract;
import java.io.IOException;
import java.nio.channels.Pipe;

/**
 * The example's own {@link Peer} keeps the port's contract: the core's {@link PeerContract}, from
 * its tests jar, run against it as against every adapter of the project's. Reading pumps
 * {@link PipePeer#flush}, as the driver's selector loop does.
 */
class PipePeerTest extends PeerContract {

    @Override
    protected Connection connect() throws IOException {
        Pipe pipe = Pipe.open();
        PipePeer near = new PipePeer(pipe.sink());
        Pipe.SourceChannel far = pipe.source();
        far.configureBlocking(false);
        return new Connection() {
            @Override
            public Peer near() {
                return near;
            }

            @Override
            public byte[] readToEnd() throws IOException {
                return pumpToEnd(near::flush, far);
            }

            @Override
            public void close() throws IOException {
                pipe.sink().close();
                far.close();
            }
        };
    }
}
