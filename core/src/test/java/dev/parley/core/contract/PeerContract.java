package dev.parley.core.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parley.core.port.Peer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of the {@link Peer} port, run against every adapter that implements it: bytes arrive
 * intact and in order; ending the output or closing delivers everything sent first, then the end
 * of input; no call blocks, however much is sent while the far side reads nothing.
 *
 * <p>A peer that writes to a blocking socket fails the last of these by design: the far side reads
 * nothing, so its write blocks. Such a peer can drive a conversation (see the core's {@code
 * dev.parley.core.port} package, "What a blocking driver gives up"), but it is not a {@link Peer}
 * in this contract's sense, and this test says so.
 *
 * <p>Subclass it in your tests, give it {@link #connect()}, and JUnit 5 runs the contract against
 * your adapter.
 */
@Timeout(20)
public abstract class PeerContract {

    /** The near end under test, and the far end's reading side. */
    public interface Connection extends AutoCloseable {
        /**
         * The adapter under test, one end of a fresh connection.
         *
         * @return the peer whose calls the contract makes
         */
        Peer near();

        /**
         * Everything the far end reads until the end of its input (blocking, or pumping, as the adapter needs).
         *
         * @return the bytes read, in order
         * @throws Exception if reading fails
         */
        byte[] readToEnd() throws Exception;

        /** Releases both ends. */
        @Override
        void close() throws Exception;
    }

    private Connection connection;

    /** What a non-blocking adapter's driver does when its channel can take more: its peer's flush. */
    @FunctionalInterface
    protected interface Flush {
        /**
         * Writes what the channel takes now.
         *
         * @throws IOException if writing fails
         */
        void flush() throws IOException;
    }

    /**
     * For a {@link Connection#readToEnd}: everything {@code far} (a non-blocking channel) reads until
     * the end of its input, calling {@code near} between reads, as the driver of a non-blocking
     * peer would.
     *
     * @param near the adapter's flush
     * @param far the far end, non-blocking
     * @return the bytes read, in order
     * @throws IOException if flushing or reading fails
     */
    protected static byte[] pumpToEnd(Flush near, ReadableByteChannel far) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (true) {
            near.flush();
            buffer.clear();
            int n = far.read(buffer);
            if (n < 0) {
                return all.toByteArray();
            }
            all.write(buffer.array(), 0, n);
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Opens a fresh connection whose near end is the adapter under test; the contract closes it.
     *
     * @return the connection
     * @throws Exception if it cannot be opened
     */
    protected abstract Connection connect() throws Exception;

    private Connection open() throws Exception {
        connection = connect();
        return connection;
    }

    @AfterEach
    void closeIt() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void bytesArriveIntactAndInOrderThenTheEndAfterEndOutput() throws Exception {
        Connection c = open();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (String piece : new String[] {"hi\n", "", "h\u00e9 \u4f60\u597d \uD83D\uDE00\n", "\u0000\r\n", "!!bang\n"}) {
            byte[] bytes = piece.getBytes(UTF_8);
            c.near().send(bytes);
            expected.writeBytes(bytes);
        }
        c.near().endOutput();
        assertArrayEquals(expected.toByteArray(), c.readToEnd());
    }

    @Test
    void closeDeliversWhatWasSentFirstAndMayBeRepeated() throws Exception {
        Connection c = open();
        c.near().send("last words\n".getBytes(UTF_8));
        c.near().close();
        c.near().close();
        assertArrayEquals("last words\n".getBytes(UTF_8), c.readToEnd());
    }

    @Test
    void sendingManyMegabytesNeverBlocksAndAllArrives() throws Exception {
        Connection c = open();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'm');
        int chunks = 64; // 4 MiB: more than socket buffers hold while the far side reads nothing
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < chunks; i++) {
                c.near().send(chunk);
            }
            c.near().endOutput();
        }, "a Peer queues what it cannot write yet; it never blocks its caller");
        assertEquals(chunks * chunk.length, c.readToEnd().length);
    }
}
