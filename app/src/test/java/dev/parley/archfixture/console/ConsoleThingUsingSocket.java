package dev.parley.archfixture.console;

import dev.parley.archfixture.socket.SocketThingUsingConsole;

/** Deliberately bad: a console adapter class that reaches into the socket adapter. */
public class ConsoleThingUsingSocket {
    public String show(String text) {
        return new SocketThingUsingConsole().show(text);
    }
}
