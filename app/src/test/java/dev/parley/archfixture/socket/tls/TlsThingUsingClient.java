package dev.parley.archfixture.socket.tls;

import dev.parley.archfixture.socket.client.ClientThing;

/** Deliberately bad: a TLS class that reaches into the client. */
public class TlsThingUsingClient {
    public String use(String text) {
        return new ClientThing().say(text);
    }
}
