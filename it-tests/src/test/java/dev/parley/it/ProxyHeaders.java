package dev.parley.it;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * PROXY protocol headers written byte by byte from the specification (haproxy.org's
 * proxy-protocol.txt), as a balancer sends them or as an attacker forges them: not with the
 * server's own library, so that the tests check it against the protocol rather than against itself.
 */
final class ProxyHeaders {

    /** The twelve bytes that open every version 2 header. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {}

    /** A version 1 header: {@code PROXY TCP4 source 10.0.0.1 port 1234\r\n} (TCP6 for an IPv6 source). */
    static byte[] v1(String source, int port) {
        String family = source.contains(":") ? "TCP6" : "TCP4";
        String destination = source.contains(":") ? "2001:db8::1" : "10.0.0.1";
        return ("PROXY " + family + " " + source + " " + destination + " " + port + " 1234\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 header with the PROXY command: a relayed TCP connection from {@code source}:{@code port}. */
    static byte[] v2(String source, int port) throws UnknownHostException {
        InetAddress from = InetAddress.getByName(source);
        boolean v4 = from instanceof Inet4Address;
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(V2_SIGNATURE);
        header.write(0x21);                 // version 2, command PROXY
        header.write(v4 ? 0x11 : 0x21);     // AF_INET or AF_INET6, over a stream
        int length = v4 ? 12 : 36;
        header.write(length >> 8);
        header.write(length);
        header.writeBytes(from.getAddress());
        header.writeBytes(InetAddress.getByName(v4 ? "10.0.0.1" : "2001:db8::1").getAddress());
        header.write(port >> 8);
        header.write(port);
        header.write(1234 >> 8);
        header.write(1234 & 0xFF);
        return header.toByteArray();
    }

    /** A version 2 header with the LOCAL command and no address: the balancer's own connection, its health check. */
    static byte[] v2Local() {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(V2_SIGNATURE);
        header.write(0x20);
        header.write(0x00);
        header.write(0);
        header.write(0);
        return header.toByteArray();
    }

    /** {@code header} followed by {@code text} in UTF-8, as one write. */
    static byte[] then(byte[] header, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(header);
        bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }
}
