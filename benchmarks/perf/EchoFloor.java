import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The floor for round-trip time: the least a Java server can do, a blocking thread per
 * connection that writes back whatever bytes it reads. No framing, no protocol, no checks.
 * Usage: java EchoFloor.java PORT
 */
public final class EchoFloor {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 1024, InetAddress.getLoopbackAddress())) {
            System.err.println("listening on 127.0.0.1:" + server.getLocalPort());
            while (true) {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread thread = new Thread(() -> echo(socket));
                thread.start();
            }
        }
    }

    private static void echo(Socket socket) {
        byte[] buffer = new byte[8192];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (Exception e) {
            // the client went away
        }
    }
}
