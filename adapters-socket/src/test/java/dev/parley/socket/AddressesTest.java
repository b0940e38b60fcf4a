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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bind(..) failed with error(-98): Address already in use | address already in use",
        "recvAddress(..) failed with error(-104): Connection reset by peer | connection reset by peer",
        "writevAddresses(..) failed with error(-32): Broken pipe | connection closed by peer",
        "Connection reset | connection reset by peer",
    })
    void socketErrorsAreShortLowerCaseReasonsWhateverTheTransport(String message, String reason) {
        assertEquals(reason, Addresses.reason(new java.io.IOException(message)));
    }
}
