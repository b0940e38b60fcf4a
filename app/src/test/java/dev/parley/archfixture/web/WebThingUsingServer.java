package dev.parley.archfixture.web;

import dev.parley.archfixture.socket.server.ServerThing;

/** Deliberately bad: a web adapter class that reaches into the TCP server. */
public class WebThingUsingServer {
    public String use(String text) {
        return new ServerThing().serve(text);
    }
}
