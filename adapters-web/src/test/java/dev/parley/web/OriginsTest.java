package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginsTest {

    private final Origins self = Origins.sameOriginOnly();

    @Test
    void aPageOfThisServerMayJoinAndNoOtherByDefault() {
        assertTrue(self.allows("http://127.0.0.1:8080", "127.0.0.1:8080", false));
        assertTrue(self.allows("HTTP://LOCALHOST", "localhost:80", false), "case and the default port do not matter");
        assertTrue(self.allows("https://[::1]:8443", "[::1]:8443", true));
        assertFalse(self.allows("https://127.0.0.1:8080", "127.0.0.1:8080", false), "another scheme is another origin");
        assertFalse(self.allows("http://127.0.0.1:8081", "127.0.0.1:8080", false));
        assertFalse(self.allows("http://evil.example", "127.0.0.1:8080", false));
        assertFalse(self.allows("null", "127.0.0.1:8080", false));
        assertFalse(self.allows("http://127.0.0.1:8080/path", "127.0.0.1:8080", false));
        assertTrue(self.allows(null, "127.0.0.1:8080", false), "no Origin: not a page");
    }

    @Test
    void givenOriginsMayJoinAndTheirNamesAreAnswered() {
        Origins given = Origins.parse("https://chat.example.org, http://10.0.0.5:8080");
        assertTrue(given.allows("https://chat.example.org:443", "127.0.0.1:8080", false));
        assertTrue(given.servesHost("chat.example.org:8080"));
        assertFalse(given.servesHost("other.example.org"));
        assertTrue(Origins.parse("*").allows("http://anything", "anything", false));
        assertTrue(Origins.parse("*").servesHost("anything"));
    }

    @Test
    void theServerAnswersToAddressesAndLocalhostOnlyByDefault() {
        assertTrue(self.servesHost("127.0.0.1:8080"));
        assertTrue(self.servesHost("[::1]:8080"));
        assertTrue(self.servesHost("192.168.1.20"));
        assertTrue(self.servesHost("LocalHost:8080"));
        assertFalse(self.servesHost("rebound.attacker.example:8080"));
        assertFalse(self.servesHost(null));
        assertFalse(self.servesHost(""));
    }

    @Test
    void whatIsNotAnOriginIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Origins.parse("chat.example.org"));
        assertEquals("'chat.example.org' is not an origin; write http://HOST[:PORT] or https://HOST[:PORT], several separated by "
                + "commas, or * for any", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Origins.parse("ftp://x"));
        assertThrows(IllegalArgumentException.class, () -> Origins.parse("http://user@x"));
        assertThrows(IllegalArgumentException.class, () -> Origins.parse("http://x/"));
        assertNull(Origins.normalize("http://x/path"));
    }
}
