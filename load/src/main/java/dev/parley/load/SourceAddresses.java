package dev.parley.load;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * The local addresses a run's connections come from. A server takes only so many conversations
 * from one address ({@code parley server --max-per-address}, 10 by default), so against a server on
 * IPv4 loopback conversation {@code i} comes from {@code 127.0.0.(1 + i % 254)}: each address holds
 * as few as it can, and each has its own ephemeral ports. Anywhere else (another machine, IPv6's one
 * loopback address, a system where 127.0.0.2 cannot be bound) every connection comes from the one
 * address the system picks.
 */
final class SourceAddresses {

    /** 127.0.0.1 to 127.0.0.254: Linux routes all of 127.0.0.0/8 to the loopback interface. */
    static final int LOOPBACK_SPREAD = 254;

    private final InetAddress[] addresses;
    private final String unspread;

    private SourceAddresses(InetAddress[] addresses, String unspread) {
        this.addresses = addresses;
        this.unspread = unspread;
    }

    /** Where {@code conversations} connections to {@code server} come from. */
    static SourceAddresses towards(InetAddress server, int conversations) {
        if (!server.isLoopbackAddress() || conversations < 2) {
            return new SourceAddresses(new InetAddress[0], null);
        }
        if (!(server instanceof Inet4Address)) {
            return new SourceAddresses(new InetAddress[0], "IPv6 has one loopback address");
        }
        InetAddress[] spread = new InetAddress[Math.min(conversations, LOOPBACK_SPREAD)];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = loopback(1 + i);
        }
        try (SocketChannel probe = SocketChannel.open()) {
            probe.bind(new InetSocketAddress(loopback(2), 0));
        } catch (IOException e) {
            return new SourceAddresses(new InetAddress[0], "127.0.0.2 cannot be bound here");
        }
        return new SourceAddresses(spread, null);
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    /** The local address for conversation {@code i} to bind, or empty: the system picks it. */
    Optional<InetSocketAddress> of(int i) {
        return addresses.length == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(addresses[i % addresses.length], 0));
    }

    /** How many addresses the connections are spread over (1: the system's one). */
    int count() {
        return Math.max(1, addresses.length);
    }

    /** The most of {@code conversations} that come from one address. */
    int mostFromOne(int conversations) {
        return (conversations + count() - 1) / count();
    }

    /**
     * What a person should know before a run against loopback that cannot be spread: that every
     * conversation comes from one address, and what the server must allow for that.
     */
    Optional<String> notice(int conversations) {
        return Optional.ofNullable(unspread).map(why -> "all " + conversations + " conversations come from one address (" + why
                + "): the server's --max-per-address must be " + conversations + " or more");
    }
}
