package dev.parley.archfixture.socket.tls;

import dev.parley.archfixture.socket.server.ServerThing;

/** Deliberately bad: a TLS class that reaches into the server. */
public class TlsThingUsingServer {
    public String use(String text) {
        return new ServerThing().serve(text);
    }
}
