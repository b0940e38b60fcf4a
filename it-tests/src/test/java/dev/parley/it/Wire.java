package dev.parley.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A bare TCP client over loopback, as an attacker writes one: exact bytes out, exact lines in. */
final class Wire implements AutoCloseable {
    final Socket socket = new Socket();
    final OutputStream out;
    final InputStream in;

    Wire(int port) throws IOException {
        this(port, null);
    }

    /** Connects from {@code source}, one of this machine's loopback addresses (127.0.0.2...), as another host would. */
    Wire(int port, String source) throws IOException {
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String ask(String message) throws IOException {
        send(message + "\n");
        return readLineOrNull();
    }

    byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    /** The next line without its line feed; null at the end of the stream or on a reset. */
    String readLineOrNull() throws IOException {
        byte[] bytes;
        try {
            bytes = readLineBytes();
        } catch (SocketException e) {
            return null; // reset
        }
        if (bytes.length == 0) {
            return null;
        }
        int end = bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    void drain() throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            // discard until the server closes
        }
    }

    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Closes with SO_LINGER 0: the server sees a reset, not a clean close. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
