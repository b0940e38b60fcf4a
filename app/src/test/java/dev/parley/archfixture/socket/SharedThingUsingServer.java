package dev.parley.archfixture.socket;

import dev.parley.archfixture.socket.server.ServerThing;

/** Deliberately bad: a class both sides share that reaches into the server. */
public class SharedThingUsingServer {
    public String use(String text) {
        return new ServerThing().serve(text);
    }
}
