package dev.parley.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {

    @ParameterizedTest
    @CsvSource({
        "::1, ::1",
        "::, ::",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
    })
    void ipv6AddressesAreWrittenInTheirShortForm(String address, String expected) throws Exception {
        assertEquals(expected, Addresses.compact((Inet6Address) InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 80, 127.0.0.1:80", "::1, 1234, [::1]:1234"})
    void socketAddressesAreHostColonPort(String host, int port, String expected) throws Exception {
        assertEquals(expected, Addresses.format(new InetSocketAddress(InetAddress.getByName(host), port)));
    }
}
