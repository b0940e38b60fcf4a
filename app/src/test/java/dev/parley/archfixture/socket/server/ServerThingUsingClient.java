package dev.parley.archfixture.socket.server;

import dev.parley.archfixture.socket.client.ClientThing;

/** Deliberately bad: the server reaches into the client. */
public class ServerThingUsingClient {
    public String use(String text) {
        return new ClientThing().say(text);
    }
}
