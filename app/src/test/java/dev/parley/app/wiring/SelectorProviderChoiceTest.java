package dev.parley.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The selector provider named up front: the one the JDK would choose, and never over a name given. */
class SelectorProviderChoiceTest {

    private String given;

    @BeforeEach
    void keep() {
        given = System.getProperty(SelectorProviderChoice.PROPERTY);
        System.clearProperty(SelectorProviderChoice.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (given == null) {
            System.clearProperty(SelectorProviderChoice.PROPERTY);
        } else {
            System.setProperty(SelectorProviderChoice.PROPERTY, given);
        }
    }

    @Test
    void onLinuxTheJdksEpollProviderTheOneItChoosesAnyway() {
        SelectorProviderChoice.nameTheJdksOwn();
        // This JVM chose its provider without the name (the test runner's sockets came first): the same class.
        assertEquals(SelectorProvider.provider().getClass().getName(), System.getProperty(SelectorProviderChoice.PROPERTY));
    }

    @Test
    void aProviderNamedByTheUserIsLeftAsItIs() {
        System.setProperty(SelectorProviderChoice.PROPERTY, "org.example.Provider");
        SelectorProviderChoice.nameTheJdksOwn();
        assertEquals("org.example.Provider", System.getProperty(SelectorProviderChoice.PROPERTY));
    }
}
