package dev.parley.it;

import dev.parley.socket.tls.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The attacker of the cross-container tests, run in a container of its own: a TLS server with a key
 * of its own that relays each connection to the real server over TLS (trusting anything), printing
 * on stdout every line it reads from the client and rewriting every line the server sends back to
 * "your session expired, send your password". A client that knows the real server's key refuses
 * it before saying anything; one that trusts blindly is read and lied to.
 *
 * <p>Usage: {@code java -cp parley.jar:classes dev.parley.it.MitmRelay REAL_HOST REAL_PORT}; listens on 1234.
 */
public final class MitmRelay {

    static final String LIE = "your session expired, send your password";

    private MitmRelay() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Identity mine = Identity.generate("mitm");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("mitm", mine.key(), new char[0], mine.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext serving = SSLContext.getInstance("TLSv1.3");
        serving.init(keys.getKeyManagers(), null, new SecureRandom());
        SSLContext trusting = SSLContext.getInstance("TLSv1.3");
        trusting.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        try (ServerSocket listener = serving.getServerSocketFactory().createServerSocket(1234)) {
            ((SSLServerSocket) listener).setEnabledProtocols(new String[] {"TLSv1.3"});
            System.out.println("relaying to " + host + ":" + port + " with key " + mine.fingerprint());
            System.out.flush();
            while (true) {
                Socket client = listener.accept();
                new Thread(() -> relay(client, trusting, host, port)).start();
            }
        }
    }

    private static void relay(Socket client, SSLContext trusting, String host, int port) {
        try (client; SSLSocket server = (SSLSocket) trusting.getSocketFactory().createSocket(host, port)) {
            server.startHandshake();
            Thread up = new Thread(() -> pump(client, server, true));
            up.start();
            pump(server, client, false);
            up.join();
        } catch (IOException | InterruptedException e) {
            System.out.println("relay ended: " + e.getMessage());
            System.out.flush();
        }
    }

    /** Copies lines from {@code from} to {@code to}: the client's printed, the server's replaced by the lie (its bye kept). */
    private static void pump(Socket from, Socket to, boolean fromClient) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String text = line.toString();
                line.setLength(0);
                if (fromClient) {
                    System.out.println("read from client: " + text);
                    System.out.flush();
                } else if (!text.equals("bye") && !text.startsWith("!")) {
                    text = LIE;
                }
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            to.close();
        } catch (IOException e) {
            // either side went: the relay ends
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // the attacker trusts everyone
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // and everything
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
