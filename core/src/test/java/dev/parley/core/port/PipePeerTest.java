package dev.parley.core.port;

import dev.parley.core.contract.PeerContract;
import dev.parley.core.testkit.Pipe;
import java.io.ByteArrayOutputStream;

/** The in-memory pipe of the test kit keeps the {@link Peer} contract. */
class PipePeerTest extends PeerContract {

    @Override
    protected Connection connect() {
        Pipe pipe = new Pipe();
        return new Connection() {
            @Override
            public Peer near() {
                return pipe;
            }

            @Override
            public byte[] readToEnd() {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                while (!pipe.atEnd()) {
                    all.writeBytes(pipe.take(1000));
                }
                return all.toByteArray();
            }

            @Override
            public void close() {
                pipe.close();
            }
        };
    }
}
