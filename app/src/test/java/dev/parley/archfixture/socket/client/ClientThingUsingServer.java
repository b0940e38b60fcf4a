package dev.parley.archfixture.socket.client;

import dev.parley.archfixture.socket.server.ServerThing;

/** Deliberately bad: the client reaches into the server. */
public class ClientThingUsingServer {
    public String use(String text) {
        return new ServerThing().serve(text);
    }
}
