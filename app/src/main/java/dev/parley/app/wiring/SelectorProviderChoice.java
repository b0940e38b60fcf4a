package dev.parley.app.wiring;

import java.lang.reflect.Modifier;
import java.nio.channels.spi.SelectorProvider;

/**
 * Names the selector provider a JDK on Linux chooses anyway, its epoll one, before the first socket
 * is opened. Unnamed, the JDK first looks for another provider as a service on the class path, which
 * opens and indexes the jar (some 3,000 entries): about 7 ms of a client's start-up on JDK 17, a
 * tenth of it, for a lookup that finds nothing (docs/BENCHMARKS.md, Start-up). The name is set only
 * where the JDK can make that provider as it makes a named one (a public class with a public
 * constructor); elsewhere, and when the property is given, the JDK chooses as it always does.
 */
public final class SelectorProviderChoice {

    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    static final String EPOLL = "sun.nio.ch.EPollSelectorProvider";

    private SelectorProviderChoice() {}

    /** For the process's own sockets: call before the first one is opened. */
    public static void nameTheJdksOwn() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            Class<?> epoll = Class.forName(EPOLL, false, null); // the JDK's own class, not initialised
            if (SelectorProvider.class.isAssignableFrom(epoll) && Modifier.isPublic(epoll.getModifiers())) {
                epoll.getConstructor(); // public, without arguments: how the JDK makes a named provider
                System.setProperty(PROPERTY, EPOLL);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // not a JDK for Linux, or one that makes it otherwise: it chooses as it always does
        }
    }
}
