package dev.parley.archfixture.web;

import dev.parley.archfixture.socket.SocketThingUsingConsole;

/** Deliberately bad: a web adapter class that reaches into the socket adapter. */
public class WebThingUsingSocket {
    public String show(String text) {
        return new SocketThingUsingConsole().show(text);
    }
}
